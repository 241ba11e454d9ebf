import { useEffect, useRef, useState } from 'react';
import { useDictation } from '../store/dictation';

/** The keyboard shortcuts, as the dialog lists them. */
export const SHORTCUTS: readonly { readonly keys: string; readonly what: string }[] = [
  { keys: 'Ctrl + Enter (⌘ + Enter on a Mac)', what: 'Start or stop recording' },
  { keys: 'Hold Space', what: 'Push to talk: record while the key is held (not while typing or on a button)' },
  { keys: '↑ ↓ in the transcript', what: 'Choose a sentence; Enter edits it, Enter saves, Escape cancels' },
  { keys: '?', what: 'Show these shortcuts' },
  { keys: 'Escape', what: 'Close this dialog or a menu' },
];

/** True when the key goes to something that takes keys itself: a text field, a select, a button. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'SUMMARY', 'A'].includes(target.tagName);
}

/**
 * Keyboard shortcuts for the whole page, and the dialog that lists them (opened with `?` or the
 * "Keyboard shortcuts" button).
 */
export function Shortcuts() {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Push to talk: the recording this key started, stopped when it is released.
    let talking = false;
    const down = (e: KeyboardEvent) => {
      const { status, start, stop } = useDictation.getState();
      const idle = status === 'idle' || status === 'error';
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !(e.target instanceof HTMLTextAreaElement)) {
        e.preventDefault();
        if (idle) start();
        else if (status !== 'stopping') stop();
      } else if (e.key === ' ' && !typing(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault(); // not a page scroll
        if (e.repeat || !idle) return;
        talking = true;
        start();
      } else if (e.key === '?' && !typing(e.target)) {
        e.preventDefault();
        setOpen(true);
      }
    };
    const up = (e: KeyboardEvent) => {
      if (e.key !== ' ' || !talking) return;
      talking = false;
      useDictation.getState().stop();
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, []);
  useEffect(() => {
    if (!open) return;
    close.current?.focus();
    const keys = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        opener.current?.focus();
      } else if (e.key === 'Tab') {
        // One control in the dialog: focus stays on it while the dialog is open.
        e.preventDefault();
        close.current?.focus();
      }
    };
    document.addEventListener('keydown', keys);
    return () => document.removeEventListener('keydown', keys);
  }, [open]);
  const dismiss = () => {
    setOpen(false);
    opener.current?.focus();
  };
  return (
    <>
      <button
        ref={opener}
        type="button"
        aria-keyshortcuts="?"
        onClick={() => setOpen(true)}
        className="rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        <span aria-hidden="true">⌨</span>
        <span className="sr-only">Keyboard shortcuts</span>
      </button>
      {open && (
        <div className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/40 p-4">
          <div
            role="dialog"
            aria-modal="true"
            aria-labelledby="shortcuts-title"
            className="w-full max-w-lg rounded-xl bg-white p-5 shadow-xl"
          >
            <h2 id="shortcuts-title" className="text-base font-semibold text-slate-900">
              Keyboard shortcuts
            </h2>
            <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
              {SHORTCUTS.map(({ keys, what }) => (
                <div key={keys} className="contents">
                  <dt className="font-medium text-slate-900">{keys}</dt>
                  <dd className="text-slate-700">{what}</dd>
                </div>
              ))}
            </dl>
            <button
              ref={close}
              type="button"
              onClick={dismiss}
              className="mt-4 rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
              Close
            </button>
          </div>
        </div>
      )}
    </>
  );
}
