import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { listMicrophones, onDeviceChange } from './audio/devices';
import { loadFailed } from './session/errors';
import type { SessionControl } from './session/session';
import { createWakeLock } from './session/wake';
import { lazyAudioKeeper } from './core/kept-audio';
import { attachDevices, useDevices } from './store/devices';
import { attachFileSource, attachKeptSource, attachSession, useDictation } from './store/dictation';
import { dictationError } from './core/errors';
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

const session = lazySession(async () => {
  const [{ createSession }, { startMicrophoneCapture }, { connectWebSocket }, { probeLocalEngine }] = await Promise.all([
    import('./session/session'),
    import('./audio/capture'),
    import('./session/transport'),
    import('./session/probe'),
  ]);
  return createSession({
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
  });
});
attachSession(session);
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
window.addEventListener('pagehide', () => session.abort());

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
