import { useDictation } from '../store/dictation';
import { isActive } from '../core/status';

/** Starts and stops dictation. Named "Start recording" / "Stop recording". */
export function RecordButton() {
  const status = useDictation((s) => s.status);
  const start = useDictation((s) => s.start);
  const stop = useDictation((s) => s.stop);
  const active = isActive(status);
  const label = active ? 'Stop recording' : 'Start recording';
  return (
    <button
      type="button"
      // While finishing the button stays focusable (not `disabled`), so focus is still on it after Stop.
      onClick={status === 'stopping' ? undefined : active ? stop : start}
      aria-disabled={status === 'stopping'}
      aria-keyshortcuts="Control+Enter Meta+Enter"
      title="Ctrl+Enter (⌘+Enter), or hold Space to talk"
      className={`group inline-flex items-center gap-3 rounded-full px-6 py-3 text-base font-semibold shadow-sm transition focus-visible:outline-2 focus-visible:outline-offset-2 aria-disabled:cursor-wait aria-disabled:opacity-60 ${
        active
          ? 'bg-rose-600 text-white hover:bg-rose-700 focus-visible:outline-rose-600'
          : 'bg-indigo-600 text-white hover:bg-indigo-700 focus-visible:outline-indigo-600'
      }`}
    >
      <span aria-hidden="true" className={active ? 'h-3.5 w-3.5 rounded-sm bg-white' : 'h-3.5 w-3.5 rounded-full bg-white'} />
      {label}
    </button>
  );
}
