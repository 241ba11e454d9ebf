import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { startMicrophoneCapture } from './audio/capture';
import { probeLocalEngine } from './session/probe';
import { createSession } from './session/session';
import { connectWebSocket } from './session/transport';
import { attachSession } from './store/dictation';
import './index.css';

const session = createSession({
  startCapture: startMicrophoneCapture,
  connect: connectWebSocket,
  location: window.location,
  probeLocalEngine,
});
attachSession(session);
// The page is going away: microphone off, socket closed with 1001 rather than dropped.
window.addEventListener('pagehide', () => session.abort());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
