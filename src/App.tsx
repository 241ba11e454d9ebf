import { lazy, Suspense, useState } from 'react';
import { ConnectionStatus } from './components/ConnectionStatus';
import { CorrectionOffer } from './components/CorrectionOffer';
import { DisplayControls } from './components/DisplayControls';
import { ErrorAlert } from './components/ErrorAlert';
import { FileTranscriber } from './components/FileTranscriber';
import { LeaveGuard } from './components/LeaveGuard';
import { MicrophonePicker } from './components/MicrophonePicker';
import { RecordButton } from './components/RecordButton';
import { Settings } from './components/Settings';
import { Shortcuts } from './components/Shortcuts';
import { Transcript } from './components/Transcript';
import { TranscriptActions } from './components/TranscriptActions';
import { VoiceActivity } from './components/VoiceActivity';
import { ErrorBoundary } from './components/ErrorBoundary';
import { useDictation } from './store/dictation';

/** History loads when first shown: it is not needed to dictate. */
const HistoryPanel = lazy(() => import('./components/HistoryPanel').then((m) => ({ default: m.HistoryPanel })));
/** The player loads with the first session opened: it is not needed to dictate. */
/** The session's figures load when a session that has them is open. */
const SessionFiguresView = lazy(() => import('./components/SessionFiguresView').then((m) => ({ default: m.SessionFiguresView })));
/** Comparing services loads when first opened. */
const CompareView = lazy(() => import('./components/CompareView').then((m) => ({ default: m.CompareView })));
const AudioPlayer = lazy(() => import('./components/AudioPlayer').then((m) => ({ default: m.AudioPlayer })));

/** The header's toggles (Compare, History). */
const headerButton =
  'rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

export function App() {
  const [showHistory, setShowHistory] = useState(false);
  const [showCompare, setShowCompare] = useState(false);
  const openComparison = useDictation((s) => (s.session?.comparison ? s.session : null));
  const hasSession = useDictation((s) => s.session !== null);
  const hasFigures = useDictation((s) => s.run === null && s.session?.figures !== undefined);
  return (
    <div className="min-h-screen">
      <LeaveGuard />
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center justify-between gap-4 px-4 py-3">
          <h1 className="flex items-center gap-2 text-lg font-bold tracking-tight">
            <img src="/favicon.svg" alt="" className="h-7 w-7" />
            Dictate
          </h1>
          <div className="flex flex-wrap items-center justify-end gap-3">
            <ConnectionStatus />
            <DisplayControls />
            <Shortcuts />
            <button
              type="button"
              aria-expanded={showCompare}
              aria-controls="compare"
              onClick={() => setShowCompare((v) => !v)}
              className={headerButton}
            >
              Compare
            </button>
            <button
              type="button"
              aria-expanded={showHistory}
              aria-controls="history"
              onClick={() => setShowHistory((v) => !v)}
              className={headerButton}
            >
              History
            </button>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-3xl space-y-4 px-4 py-6">
        <ErrorAlert />
        {showHistory && (
          <div id="history">
            <ErrorBoundary part="History">
              <Suspense fallback={<p className="text-sm text-slate-600">Loading History…</p>}>
                <HistoryPanel />
              </Suspense>
            </ErrorBoundary>
          </div>
        )}
        {showCompare && (
          <div id="compare">
            <ErrorBoundary part="Compare services">
              <Suspense fallback={<p className="text-sm text-slate-600">Loading Compare…</p>}>
                <CompareView open={openComparison} />
              </Suspense>
            </ErrorBoundary>
          </div>
        )}
        {openComparison && !showCompare && (
          <p className="text-sm text-slate-700">
            This session is a comparison of services.{' '}
            <button type="button" className="font-medium text-indigo-700 underline" onClick={() => setShowCompare(true)}>
              Show the comparison
            </button>
          </p>
        )}
        <section
          aria-label="Recorder"
          className="flex flex-wrap items-center justify-between gap-4 rounded-xl border border-slate-200 bg-white p-4"
        >
          <RecordButton />
          <VoiceActivity />
          <div className="flex w-full flex-wrap items-start justify-between gap-3">
            <MicrophonePicker />
            <FileTranscriber />
          </div>
        </section>
        <section aria-label="Transcript" className="space-y-3">
          {hasSession && (
            <ErrorBoundary part="Playback">
              <Suspense fallback={null}>
                <AudioPlayer />
              </Suspense>
            </ErrorBoundary>
          )}
          <Transcript />
          <CorrectionOffer />
          {hasFigures && (
            <ErrorBoundary part="Session figures">
              <Suspense fallback={null}>
                <SessionFiguresView />
              </Suspense>
            </ErrorBoundary>
          )}
          <TranscriptActions />
        </section>
        <Settings />
      </main>
    </div>
  );
}
