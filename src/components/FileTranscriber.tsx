import { useDictation } from '../store/dictation';
import { isActive } from '../core/status';

/** Audio a browser can usually decode. */
const ACCEPT = 'audio/*,.wav,.mp3,.ogg,.oga,.opus,.webm,.m4a,.aac,.flac';

/** "Transcribe file": a recording through the selected service, with progress and Cancel. */
export function FileTranscriber() {
  const transcribeFile = useDictation((s) => s.transcribeFile);
  const stop = useDictation((s) => s.stop);
  const file = useDictation((s) => s.file);
  const status = useDictation((s) => s.status);
  const busy = isActive(status);
  const percent = file ? Math.round(file.progress * 100) : 0;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <label
        className={`rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-indigo-600 ${
          busy ? 'cursor-not-allowed opacity-50' : 'cursor-pointer hover:bg-slate-50'
        }`}
      >
        Transcribe file
        <input
          type="file"
          accept={ACCEPT}
          disabled={busy}
          className="sr-only"
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            e.target.value = ''; // the same file can be chosen again
            if (chosen) transcribeFile(chosen);
          }}
        />
      </label>
      {file && (
        <div className="flex items-center gap-2 text-sm text-slate-700">
          <span className="max-w-48 truncate">{file.name}</span>
          <div
            role="progressbar"
            aria-label="Transcription progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-2 w-32 overflow-hidden rounded-full bg-slate-200"
          >
            <div className="h-full rounded-full bg-indigo-500" style={{ width: `${percent}%` }} />
          </div>
          <span aria-hidden="true">{percent}%</span>
          <button
            type="button"
            onClick={stop}
            disabled={status === 'stopping'}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50"
          >
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}
