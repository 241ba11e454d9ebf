import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { startMicrophoneCapture } from './audio/capture';
import { probeLocalEngine } from './session/probe';
import { createSession } from './session/session';
import { connectWebSocket } from './session/transport';
import { openHistory } from './history/db';
import { attachSession } from './store/dictation';
import { useHistory } from './store/history';
import { attachHistory } from './store/persistence';
import './index.css';

const session = createSession({
  startCapture: startMicrophoneCapture,
  connect: connectWebSocket,
  location: window.location,
  probeLocalEngine,
});
attachSession(session);
// History (IndexedDB): the last session comes back, a transcript saved before History moves into it.
attachHistory(openHistory());
void useHistory.getState().load();
// The page is going away: microphone off, socket closed with 1001 rather than dropped.
window.addEventListener('pagehide', () => session.abort());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
