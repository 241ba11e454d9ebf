import { useEffect, useRef } from 'react';

/** The keyboard shortcuts, as the dialog lists them. */
export const SHORTCUTS: readonly { readonly keys: string; readonly what: string }[] = [
  { keys: 'Ctrl + Enter (⌘ + Enter on a Mac)', what: 'Start or stop recording' },
  { keys: 'Hold Space', what: 'Push to talk: record while the key is held (not while typing or on a button)' },
  { keys: '↑ ↓ in the transcript', what: 'Choose a sentence; Enter edits it, Enter saves, Escape cancels' },
  { keys: '?', what: 'Show these shortcuts' },
  { keys: 'Escape', what: 'Close this dialog or a menu' },
];

/** The shortcuts dialog: focus on Close while open, Escape closes it (the opener gets focus back). */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const keys = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
      else if (e.key === 'Tab') {
        // One control in the dialog: focus stays on it while the dialog is open.
        e.preventDefault();
        close.current?.focus();
      }
    };
    document.addEventListener('keydown', keys);
    return () => document.removeEventListener('keydown', keys);
  }, [onClose]);
  const dismiss = onClose;
  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/40 p-4">
      <div role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" className="w-full max-w-lg rounded-xl bg-white p-5 shadow-xl">
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
  );
}
