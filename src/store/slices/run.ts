/**
 * The run slice: the recording under way, from Start to its end. `start()` and `stop()` go to the
 * session controller in the store (attached by the app, or by a test with fakes); the session reports
 * back through {@link sessionSink}. No socket or audio node is ever held here.
 */
import { dictationError } from '../../core/errors';
import { isActive } from '../../core/status';
import { providerEntry } from '../../protocol/registry';
import { currentEntry, profileOf } from '../../protocol/settings';
import type { SessionControl } from '../../session/session';
import { segmentEndMs, versionsOf, type SessionMeta } from '../../transcript/model';
import { useCredentials } from '../credentials';
import { usePreferences } from '../preferences';
import { persist as persistWrite } from '../persistence';
import { useWords } from '../words';
import { dictationFigures, measureFor } from '../figures';
import { appendFinal, newSessionMeta, type ResaveFlag } from './transcript';
import type { DictationState, RunSlice, Slice } from './types';

/** Moves an unfinished partial into the transcript, so words already shown are never lost. */
export const keepPartial = (s: DictationState, resave: ResaveFlag) => appendFinal(s, { text: s.partial }, resave);

/** The run ended (stopped, failed or given up): its time is added and the session is no longer recording. */
export function endRun(s: DictationState, patch: Partial<DictationState>): Partial<DictationState> {
  const session = patch.session ?? s.session;
  const run = s.run;
  if (!run || !session) return patch;
  const now = Date.now();
  // Measured by code loaded now, then kept with the session (the store's onFiguresMeasured).
  measureFor(session.id, dictationFigures.end());
  const ended = {
    ...session,
    recording: false,
    updatedAt: now,
    // A file goes faster than real time: its length is where its last words end, not the time taken.
    durationMs: s.file ? session.durationMs : Math.max(session.durationMs, run.offsetMs + now - run.startedAt),
  };
  void persistWrite((h) => h.saveMeta(ended));
  return { ...patch, session: ended, run: null, file: null };
}

export const runSlice =
  (sink: () => Parameters<SessionControl['start']>[1]): Slice<RunSlice> =>
  (set, get) => {
    /**
     * Starts a run of the open session (a new one when none is open), from the microphone or `source`.
     * @param kept - playing the session's own kept audio from `fromMs` with the provider `entryId`: the
     *   run's times start there, and its audio is not kept again
     */
    const startRun = (source?: Parameters<SessionControl['start']>[2], kept?: { fromMs: number; entryId: string }) => {
      const { status, settings, controller } = get();
      if (isActive(status)) return;
      const entry = (kept && providerEntry(kept.entryId)) || currentEntry(settings);
      const apiKey = useCredentials.getState().keys[entry.id] ?? '';
      if (!controller) {
        set({
          status: 'error',
          file: null,
          error: dictationError('no-session', 'Dictation is not available in this page. Reload and try again.'),
        });
        return;
      }
      const now = Date.now();
      const open = get().session ?? newSessionMeta(settings);
      const meta: SessionMeta = {
        ...open,
        // The provider named in History is the one that recorded; transcribing again names its version.
        provider: kept ? open.provider : entry.label,
        updatedAt: now,
        recording: true,
        interrupted: false,
      };
      void persistWrite((h) => h.saveMeta(meta));
      set({ error: null, partial: '', vad: 'silence', session: meta, run: { offsetMs: kept?.fromMs ?? meta.durationMs, startedAt: now } });
      dictationFigures.begin();
      // The run's audio is kept in its session, from where the session's time has got to (not when it is that audio).
      const audio = usePreferences.getState();
      const keep =
        audio.keepAudio === 'never' || kept ? undefined : { sessionId: meta.id, startMs: meta.durationMs, lossless: audio.losslessAudio };
      controller.start(
        {
          provider: entry.id,
          profile: profileOf(settings, entry),
          apiKey,
          microphone: settings.microphone,
          vocabulary: useWords.getState().vocabulary,
        },
        sink(),
        source,
        keep,
      );
    };
    return {
      status: 'idle',
      error: null,
      run: null,
      capture: null,
      file: null,
      reconnectAttempt: 0,
      networkSlow: false,
      waitingSeconds: null,
      audioSaved: 0,
      keptSource: null,
      controller: null,
      fileSource: null,
      start: () => startRun(),
      transcribeFile(file) {
        const { status, fileSource } = get();
        if (isActive(status)) return;
        if (!fileSource) {
          set({
            status: 'error',
            error: dictationError('no-session', 'Transcribing files is not available in this page. Reload and try again.'),
          });
          return;
        }
        const name = file.name;
        const source = fileSource(file, (progress) => set((s) => (s.file ? { file: { name, progress } } : {})));
        // A new session, named after the file.
        set({ session: { ...newSessionMeta(get().settings), title: name }, segments: [], partial: '', file: { name, progress: 0 } });
        startRun(source);
      },
      transcribeKept({ provider, what }) {
        const { status, keptSource, session, settings, segments } = get();
        if (isActive(status) || !session) return;
        if (!keptSource) {
          set({ error: dictationError('no-session', 'Transcribing kept audio is not available in this page. Reload and try again.') });
          return;
        }
        const entry = (provider && providerEntry(provider)) || currentEntry(settings);
        const label = `${entry.label}${entry.dialect ? ` (${entry.dialect})` : ''}`;
        let fromMs = 0;
        if (what === 'again') {
          // A new version, shown (and filled) from now on; the others stay as they are.
          const versions = versionsOf(session);
          const n = Math.max(1, ...versions.map((v) => Number(v.key.split('~')[1] ?? 1))) + 1;
          const key = `${session.id}~${n}`;
          const next: SessionMeta = { ...session, versions: [...versions, { key, label, createdAt: Date.now() }], version: key };
          set({ session: next, segments: [] });
        } else {
          // What has no text: from the end of the last words (or where the flag says), less 0.5 s of context.
          const lastEnd = Math.max(0, ...segments.map((seg) => segmentEndMs(seg) ?? 0));
          fromMs = Math.max(0, Math.min(session.untranscribedFromMs ?? lastEnd, lastEnd) - 500);
          // Cleared now; set again if this run, too, ends before its last words.
          const { untranscribedFromMs: _done, ...rest } = session;
          set({ session: { ...rest, interrupted: false } });
        }
        const id = get().session!.id;
        const name = what === 'again' ? `the audio, with ${label}` : 'the audio with no text yet';
        const source = keptSource(id, fromMs, (progress) => set((s) => (s.file ? { file: { name, progress } } : {})));
        set({ file: { name, progress: 0 } });
        startRun(source, { fromMs, entryId: entry.id });
      },
      stop() {
        get().controller?.stop();
      },
      dismissError() {
        set({ error: null });
      },
    };
  };
