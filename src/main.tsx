import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { listMicrophones, onDeviceChange } from './audio/devices';
import type { SessionControl, SessionDeps } from './session/session';
import type { ComparisonControl } from './session/compare';
import { attachComparison } from './store/compare-control';
import { createWakeLock } from './session/wake';
import { lazyAudioKeeper } from './core/kept-audio';
import { attachDevices, useDevices } from './store/devices';
import { attachFileSource, attachKeptSource, attachSession, useDictation } from './store/dictation';
import { dictationError, loadFailed } from './core/errors';
import { attachHistory } from './store/persistence';
import './index.css';

// History (IndexedDB), opened after the first render: dictation does not wait for it (writes queue until it is open).
const history = import('./history/db').then((m) => m.openHistory());
/**
 * The session controller, whose code (the session, the capture, the transport) loads just after the
 * first render: the page shows at once, and a Start pressed before it has loaded waits for it.
 */
function lazySession(load: () => Promise<SessionControl>): SessionControl & { preload(): void } {
  let control: SessionControl | null = null;
  let loading: Promise<SessionControl> | null = null;
  let pending: Parameters<SessionControl['start']> | null = null;
  const get = () => (loading ??= load().then((c) => (control = c)));
  return {
    preload: () => void get().catch(() => (loading = null)),
    start(...args) {
      if (control) return control.start(...args);
      pending = args;
      get().then(
        (c) => {
          if (pending !== args) return;
          pending = null;
          c.start(...args);
        },
        (cause: unknown) => {
          loading = null;
          if (pending !== args) return;
          pending = null;
          args[1].fail(loadFailed('Dictation', cause));
        },
      );
    },
    stop() {
      if (control) return control.stop();
      const sink = pending?.[1];
      pending = null;
      sink?.status('idle');
    },
    abort() {
      pending = null;
      control?.abort();
    },
    check: () => control?.check(),
  };
}

/**
 * The journal's bound, s: 120 unless `dictate-journal-seconds` in localStorage says otherwise (1–600), a
 * diagnostic that lets a test outlast the journal in seconds rather than minutes.
 */
function journalSeconds(): number | undefined {
  const value = Number(localStorage.getItem('dictate-journal-seconds'));
  return value >= 1 && value <= 600 ? value : undefined;
}

/** What every session needs from the page, loaded with the session's code. */
async function sessionDeps(): Promise<SessionDeps> {
  const [{ startMicrophoneCapture }, { connectWebSocket }, { probeLocalEngine }] = await Promise.all([
    import('./audio/capture'),
    import('./session/transport'),
    import('./session/probe'),
  ]);
  return {
    journalSeconds: journalSeconds(),
    startCapture: startMicrophoneCapture,
    connect: connectWebSocket,
    location: window.location,
    probeLocalEngine,
    // Each run's audio, encoded and stored in a worker (in this thread where a module worker cannot start),
    // by code loaded at the first recording.
    audioKeeper: lazyAudioKeeper(
      () =>
        import('./history/audio-keeper').then(({ localAudioKeeper, workerAudioKeeper }) =>
          workerAudioKeeper(
            () => new Worker(new URL('./history/audio.worker.ts', import.meta.url), { type: 'module' }),
            () => localAudioKeeper(history.then((h) => h.audioSink)),
            async (sessionId) => (await history).audio(sessionId),
          ),
        ),
      (cause) => loadFailed('Keeping audio', cause),
    ),
  };
}

const session = lazySession(async () => {
  const [{ createSession }, deps] = await Promise.all([import('./session/session'), sessionDeps()]);
  return createSession(deps);
});
attachSession(session);
// Comparisons run their sessions on the same dependencies, by code loaded with the first comparison.
let comparison: Promise<ComparisonControl> | null = null;
const loadComparison = () =>
  (comparison ??= Promise.all([import('./session/compare'), sessionDeps()]).then(([{ createComparison }, deps]) => createComparison(deps)));
/** Stop pressed while the comparison's code was loading: it stops as soon as it has started. */
let stopWhenLoaded = false;
attachComparison({
  start(columns, sinks, source, keep) {
    stopWhenLoaded = false;
    loadComparison().then(
      (c) => {
        c.start(columns, sinks, source, keep);
        if (stopWhenLoaded) c.stop();
        stopWhenLoaded = false;
      },
      (cause: unknown) => {
        comparison = null;
        for (const sink of sinks) sink.fail(loadFailed('Comparing services', cause));
      },
    );
  },
  stop() {
    stopWhenLoaded = true;
    void comparison?.then((c) => c.stop());
  },
  abort: () => void comparison?.then((c) => c.abort()),
});
// Files are decoded and resampled by code loaded when a file is first chosen.
attachFileSource((file, onProgress) => async (handlers, microphone) => {
  const { fileCapture } = await import('./audio/file').catch((cause: unknown) => {
    throw loadFailed('File transcription', cause);
  });
  return fileCapture(file, onProgress)(handlers, microphone);
});
// A session's kept audio, played into a run to transcribe it again (decoded by code loaded then).
attachKeptSource((sessionId, fromMs, onProgress) => async (handlers, microphone) => {
  const [{ framesCapture }, { sessionAudio, framesFrom }] = await Promise.all([
    import('./audio/file'),
    import('./history/audio-read'),
  ]).catch((cause: unknown) => {
    throw loadFailed('Transcribing again', cause);
  });
  return framesCapture(async () => {
    const track = await sessionAudio(await (await history).audio(sessionId));
    if (!track) throw dictationError('file-unreadable', 'This session has no kept audio to transcribe: it was deleted, or never kept.');
    return framesFrom(track, fromMs);
  }, onProgress)(handlers, microphone);
});
// The last session comes back, a transcript saved before History moves into it.
attachHistory(history);
void import('./store/history').then((m) => m.useHistory.getState().load());
// The page is going away: microphone off, socket closed with 1001 rather than dropped.
window.addEventListener('pagehide', () => {
  session.abort();
  void comparison?.then((c) => c.abort());
});

// Microphones: listed at start, again once the microphone is allowed (names appear), and when one is
// plugged in or out.
attachDevices(listMicrophones);
const refreshDevices = () => void useDevices.getState().refresh();
refreshDevices();
onDeviceChange(refreshDevices);
useDictation.subscribe((state, previous) => {
  if (state.status === 'recording' && previous.status !== 'recording') refreshDevices();
});

// The screen stays on while dictating; a tab back in view takes the lock again and checks the
// connection at once (timers ran slow while it was hidden; the microphone and socket did not stop).
const wake = createWakeLock();
useDictation.subscribe((state, previous) => {
  if (state.status === previous.status) return;
  if (state.status === 'idle' || state.status === 'error') wake.let();
  else wake.hold();
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible') return;
  wake.visible();
  session.check();
});

// The session's code, fetched as soon as the page has shown.
setTimeout(() => session.preload(), 0);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
