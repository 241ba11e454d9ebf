import { useDictation } from '../store/dictation';

/** The last error as a human sentence, with an optional detail line from the service. */
export function ErrorAlert() {
  const error = useDictation((s) => s.error);
  const dismiss = useDictation((s) => s.dismissError);
  if (!error) return null;
  return (
    <div role="alert" className="flex items-start gap-3 rounded-xl border border-rose-200 bg-rose-50 p-4 text-rose-900">
      <div className="flex-1">
        <p className="font-medium">{error.message}</p>
        {error.detail && <p className="mt-1 text-sm text-rose-700">Details: {error.detail}</p>}
      </div>
      <button type="button" onClick={dismiss} className="rounded-md px-2 py-1 text-sm text-rose-700 hover:bg-rose-100">
        Dismiss
      </button>
    </div>
  );
}
