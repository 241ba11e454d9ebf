import { useDictation } from '../store/dictation';

/** One line saying where the session is: connecting, listening (and whether the network keeps up), reconnecting, finishing. */
export function ConnectionStatus() {
  const status = useDictation((s) => s.status);
  const attempt = useDictation((s) => s.reconnectAttempt);
  const slow = useDictation((s) => s.networkSlow);
  const waiting = useDictation((s) => s.waitingSeconds);
  const text = (() => {
    switch (status) {
      case 'connecting':
        return 'Connecting…';
      case 'recording':
        return slow ? 'Listening · Network slow' : 'Listening';
      case 'reconnecting':
        return `Reconnecting… (attempt ${attempt})`;
      case 'stopping':
        return waiting === null ? 'Finishing…' : `Finishing… waiting for the last words (${waiting} s)`;
      default:
        return 'Stopped';
    }
  })();
  const dot =
    status === 'recording' && !slow
      ? 'bg-rose-500 animate-pulse'
      : status === 'idle' || status === 'error'
        ? 'bg-slate-300'
        : 'bg-amber-400';
  return (
    <p role="status" aria-label="Connection" className="flex items-center gap-2 text-sm text-slate-600">
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${dot}`} />
      {text}
    </p>
  );
}
