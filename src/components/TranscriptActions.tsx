import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { transcriptText, useDictation } from '../store/dictation';
import { useSaving } from '../store/persistence';
import type * as ExportModule from '../transcript/export';
import type { ExportFormat } from '../transcript/export';
import { download } from './download';
import { isActive } from '../core/status';

async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The Export menu's entries. */
const FORMATS: readonly { readonly format: ExportFormat; readonly label: string }[] = [
  { format: 'txt', label: 'Text (.txt)' },
  { format: 'md', label: 'Markdown (.md)' },
  { format: 'srt', label: 'Subtitles (.srt)' },
  { format: 'vtt', label: 'WebVTT subtitles (.vtt)' },
  { format: 'json', label: 'JSON with times (.json)' },
];

const button =
  'rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-xs hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50';

/** Export: a disclosure of formats for the open session; the file is written when one is chosen. */
function ExportMenu({ onDone }: { onDone: (message: string) => void }) {
  const segments = useDictation((s) => s.segments);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  const escape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !open) return;
    setOpen(false);
    toggle.current?.focus();
  };
  const choose = async (format: ExportFormat) => {
    setOpen(false);
    toggle.current?.focus();
    const { session, segments: now } = useDictation.getState();
    if (!session) return;
    // Export formats load on first use: they are not needed to dictate.
    let formats: typeof ExportModule;
    try {
      formats = await import('../transcript/export');
    } catch {
      onDone('Export could not be loaded: the network may be down, or Dictate was updated. Reload the page; your transcript is kept.');
      return;
    }
    const { exportSession, exportFileName, EXPORT_TYPES } = formats;
    const name = exportFileName(session, format);
    download(exportSession(format, session, now), name, EXPORT_TYPES[format]);
    onDone(`Saved ${name}`);
  };
  return (
    <div ref={ref} className="relative">
      <button
        ref={toggle}
        type="button"
        className={button}
        aria-expanded={open}
        aria-controls="export-formats"
        onKeyDown={escape}
        disabled={segments.length === 0}
        onClick={() => setOpen((o) => !o)}
      >
        Export ▾
      </button>
      {open && (
        <ul
          id="export-formats"
          aria-label="Export formats"
          className="absolute z-10 mt-1 w-60 rounded-lg border border-slate-200 bg-white p-1 shadow-lg"
        >
          {FORMATS.map(({ format, label }) => (
            <li key={format}>
              <button
                type="button"
                className="w-full rounded-md px-3 py-1.5 text-left text-sm text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
                onKeyDown={escape}
                onClick={() => void choose(format)}
              >
                {label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Whether the open session is in History yet: "Saving…" while writes are waiting, then "Saved". */
function SaveState() {
  const saving = useSaving((s) => s.pending > 0);
  return <span className="ml-auto text-xs text-slate-600">{saving ? 'Saving…' : 'Saved in History'}</span>;
}

/** Copy, export, and start a new session (the open one stays in History). */
export function TranscriptActions() {
  const segments = useDictation((s) => s.segments);
  const status = useDictation((s) => s.status);
  const newSession = useDictation((s) => s.newSession);
  const [feedback, setFeedback] = useState('');
  const text = transcriptText(segments);
  useEffect(() => {
    if (!feedback) return;
    const timer = setTimeout(() => setFeedback(''), 2500);
    return () => clearTimeout(timer);
  }, [feedback]);
  const busy = isActive(status);

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
      <ExportMenu onDone={setFeedback} />
      <button
        type="button"
        className={button}
        disabled={busy || segments.length === 0}
        title={busy ? 'Stop recording first' : 'Start an empty transcript; this one stays in History'}
        onClick={newSession}
      >
        New session
      </button>
      <span role="status" aria-label="Transcript action result" className="text-sm text-emerald-800">
        {feedback}
      </span>
      {segments.length > 0 && <SaveState />}
    </div>
  );
}
