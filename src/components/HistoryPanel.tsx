import { useEffect, useState, type FormEvent } from 'react';
import { useDictation } from '../store/dictation';
import { useHistory } from '../store/history';
import { formatBytes, formatDuration, sessionTitle, type SessionMeta } from '../transcript/model';
import { isActive } from '../core/status';

const small =
  'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50';

function RenameForm({ meta, onDone }: { meta: SessionMeta; onDone: () => void }) {
  const rename = useHistory((s) => s.rename);
  const title = sessionTitle(meta);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    rename(meta.id, (e.currentTarget.elements.namedItem('title') as HTMLInputElement).value);
    onDone();
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-center gap-2">
      <input
        name="title"
        aria-label={`New title for ${title}`}
        defaultValue={meta.title || title}
        onKeyDown={(e) => e.key === 'Escape' && onDone()}
        // The field appears because the user asked to rename: it should take the typing.
        // eslint-disable-next-line jsx-a11y/no-autofocus
        autoFocus
        className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600"
      />
      <button type="submit" className={small}>
        Save
      </button>
      <button type="button" className={small} onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

/** Audio kept in all, and this site's storage as the browser reports it. */
function StorageUse() {
  const audio = useHistory((s) => s.audio);
  const storage = useHistory((s) => s.storage);
  const audioBytes = Object.values(audio).reduce((n, a) => n + a.bytes, 0);
  return (
    <p className="text-xs text-slate-600" aria-label="Storage used">
      Audio {formatBytes(audioBytes)}
      {storage && storage.quota > 0 && ` · ${formatBytes(storage.usage)} of ${formatBytes(storage.quota)} used`}
      {storage && !storage.persisted && ' · the browser may clear it when space runs low'}
    </p>
  );
}

function SessionItem({ meta, isOpen, busy }: { meta: SessionMeta; isOpen: boolean; busy: boolean }) {
  const open = useHistory((s) => s.open);
  const remove = useHistory((s) => s.remove);
  const removeAudio = useHistory((s) => s.removeAudio);
  const audio = useHistory((s) => s.audio[meta.id]);
  const [renaming, setRenaming] = useState(false);
  const title = sessionTitle(meta);
  const date = new Date(meta.startedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <li className={`rounded-lg border p-3 ${isOpen ? 'border-indigo-300 bg-indigo-50' : 'border-slate-200 bg-white'}`}>
      {renaming ? (
        <RenameForm meta={meta} onDone={() => setRenaming(false)} />
      ) : (
        <h3 className="font-medium text-slate-900">
          {title}
          {isOpen && <span className="ml-2 text-xs font-normal text-indigo-800">(open)</span>}
        </h3>
      )}
      <p className="text-xs text-slate-600">
        <time dateTime={new Date(meta.startedAt).toISOString()}>{date}</time> · {formatDuration(meta.durationMs)} · {meta.segmentCount}{' '}
        {meta.segmentCount === 1 ? 'segment' : 'segments'} · {meta.provider}
        {audio && ` · audio ${formatBytes(audio.bytes)}`}
        {meta.interrupted && <span className="ml-2 rounded-sm bg-amber-100 px-1 font-medium text-amber-900">Interrupted</span>}
      </p>
      {meta.preview && meta.title && <p className="mt-1 line-clamp-2 text-sm text-slate-700">{meta.preview}</p>}
      <div className="mt-2 flex gap-2">
        <button type="button" className={small} aria-label={`Open ${title}`} disabled={isOpen || busy} onClick={() => void open(meta.id)}>
          Open
        </button>
        <button type="button" className={small} aria-label={`Rename ${title}`} onClick={() => setRenaming(true)}>
          Rename
        </button>
        <button
          type="button"
          className={small}
          aria-label={`Delete ${title}`}
          disabled={isOpen && busy}
          onClick={() => void remove(meta.id)}
        >
          Delete
        </button>
        {audio && (
          <button
            type="button"
            className={small}
            aria-label={`Delete audio of ${title}`}
            disabled={isOpen && busy}
            onClick={() => void removeAudio(meta.id)}
          >
            Delete audio
          </button>
        )}
      </div>
    </li>
  );
}

/** Every saved session: search, open, rename, delete (with Undo) and delete all (after a confirmation). */
export function HistoryPanel() {
  const sessions = useHistory((s) => s.sessions);
  const loaded = useHistory((s) => s.loaded);
  const query = useHistory((s) => s.query);
  const matches = useHistory((s) => s.matches);
  const removed = useHistory((s) => s.removed);
  const search = useHistory((s) => s.search);
  const undoRemove = useHistory((s) => s.undoRemove);
  const removeAll = useHistory((s) => s.removeAll);
  const openId = useDictation((s) => s.session?.id);
  const busy = useDictation((s) => isActive(s.status));
  const refresh = useHistory((s) => s.refresh);
  const [confirming, setConfirming] = useState(false);
  useEffect(() => void refresh(), [refresh]);
  const shown = matches ? sessions.filter((s) => matches.includes(s.id)) : sessions;
  return (
    <section aria-labelledby="history-heading" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="history-heading" className="text-base font-semibold">
          History
        </h2>
        <StorageUse />
        <input
          type="search"
          aria-label="Search history"
          placeholder="Search titles and text"
          value={query}
          onChange={(e) => void search(e.target.value)}
          className="w-64 max-w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600"
        />
      </div>
      <div role="status" className="text-sm text-slate-700">
        {removed && (
          <span className="flex items-center gap-2">
            Deleted “{sessionTitle(removed.meta)}”.
            <button type="button" className={small} onClick={undoRemove}>
              Undo
            </button>
          </span>
        )}
      </div>
      {busy && <p className="text-sm text-slate-600">Stop recording to open another session.</p>}
      {!loaded ? (
        <p className="text-sm text-slate-600">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="text-sm text-slate-600">
          {matches ? `No session holds “${query}”.` : 'No sessions yet. Each recording is kept here.'}
        </p>
      ) : (
        <ul aria-label="Sessions" className="max-h-[32rem] space-y-2 overflow-y-auto">
          {shown.map((meta) => (
            <SessionItem key={meta.id} meta={meta} isOpen={meta.id === openId} busy={busy} />
          ))}
        </ul>
      )}
      {sessions.length > 0 &&
        (confirming ? (
          <div role="alert" className="flex flex-wrap items-center gap-2 rounded-lg bg-red-50 p-2 text-sm text-red-900">
            Delete all {sessions.length} sessions? This cannot be undone.
            <button
              type="button"
              className="rounded-md bg-red-700 px-2 py-1 text-sm font-medium text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700"
              onClick={() => {
                setConfirming(false);
                void removeAll();
              }}
            >
              Delete all {sessions.length} sessions
            </button>
            <button type="button" className={small} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" className={small} disabled={busy} onClick={() => setConfirming(true)}>
            Delete all…
          </button>
        ))}
    </section>
  );
}
