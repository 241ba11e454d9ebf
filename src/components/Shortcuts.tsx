import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useDictation } from '../store/dictation';
import { ErrorBoundary } from './ErrorBoundary';

/** The list of shortcuts loads when it is first opened. */
const ShortcutsDialog = lazy(() => import('./ShortcutsDialog').then((m) => ({ default: m.ShortcutsDialog })));

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
  const dismiss = useCallback(() => {
    setOpen(false);
    opener.current?.focus();
  }, []);
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
        <ErrorBoundary part="The list of shortcuts">
          <Suspense fallback={null}>
            <ShortcutsDialog onClose={dismiss} />
          </Suspense>
        </ErrorBoundary>
      )}
    </>
  );
}
