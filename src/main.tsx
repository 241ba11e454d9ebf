import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { startMicrophoneCapture } from './audio/capture';
import { listMicrophones, onDeviceChange } from './audio/devices';
import { loadFailed } from './session/errors';
import { probeLocalEngine } from './session/probe';
import { createSession } from './session/session';
import { connectWebSocket } from './session/transport';
import { createWakeLock } from './session/wake';
import { attachDevices, useDevices } from './store/devices';
import { attachFileSource, attachSession, useDictation } from './store/dictation';
import { attachHistory } from './store/persistence';
import './index.css';

const session = createSession({
  startCapture: startMicrophoneCapture,
  connect: connectWebSocket,
  location: window.location,
  probeLocalEngine,
});
attachSession(session);
// Files are decoded and resampled by code loaded when a file is first chosen.
attachFileSource((file, onProgress) => async (handlers, microphone) => {
  const { fileCapture } = await import('./audio/file').catch((cause: unknown) => {
    throw loadFailed('File transcription', cause);
  });
  return fileCapture(file, onProgress)(handlers, microphone);
});
// History (IndexedDB): the last session comes back, a transcript saved before History moves into it.
// Loaded after the first render: dictation does not wait for it (writes queue until it is open).
attachHistory(import('./history/db').then((m) => m.openHistory()));
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

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
