import type { SessionStatus } from '../session/session';
import { useDictation } from '../store/dictation';

const TEXT: Record<SessionStatus, string> = {
  idle: 'Stopped',
  connecting: 'Connecting…',
  ready: 'Waiting for microphone…',
  recording: 'Listening',
  stopping: 'Finishing…',
  error: 'Stopped',
};

/** One line saying where the session is. */
export function ConnectionStatus() {
  const status = useDictation((s) => s.status);
  const live = status === 'recording';
  return (
    <p role="status" aria-label="Connection" className="flex items-center gap-2 text-sm text-slate-600">
      <span
        aria-hidden="true"
        className={`h-2 w-2 rounded-full ${live ? 'bg-rose-500 animate-pulse' : status === 'idle' || status === 'error' ? 'bg-slate-300' : 'bg-amber-400'}`}
      />
      {TEXT[status]}
    </p>
  );
}
