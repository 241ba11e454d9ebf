import { useEffect, useState } from 'react';
import { transcriptText, useDictation } from '../store/dictation';

async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function download(text: string) {
  const url = URL.createObjectURL(new Blob([text + '\n'], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `dictation-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.txt`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copy, download and clear the transcript. */
export function TranscriptActions() {
  const segments = useDictation((s) => s.segments);
  const clear = useDictation((s) => s.clear);
  const cleared = useDictation((s) => s.cleared !== null);
  const undoClear = useDictation((s) => s.undoClear);
  const [feedback, setFeedback] = useState('');
  const text = transcriptText(segments);
  useEffect(() => {
    if (!feedback) return;
    const timer = setTimeout(() => setFeedback(''), 2500);
    return () => clearTimeout(timer);
  }, [feedback]);

  const button =
    'rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-xs hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50';
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={button}
        disabled={!text}
        onClick={() =>
          void writeClipboard(text).then((ok) => setFeedback(ok ? 'Copied' : 'Copy failed: select the text and press Ctrl+C (⌘C).'))
        }
      >
        Copy transcript
      </button>
      <button type="button" className={button} disabled={!text} onClick={() => download(text)}>
        Download .txt
      </button>
      <button type="button" className={button} disabled={segments.length === 0} onClick={clear}>
        Clear
      </button>
      {cleared && (
        <span className="flex items-center gap-2 text-sm text-slate-700">
          Transcript cleared.
          <button type="button" className={button} onClick={undoClear}>
            Undo
          </button>
        </span>
      )}
      <span role="status" aria-label="Copy result" className="text-sm text-emerald-700">
        {feedback}
      </span>
    </div>
  );
}
