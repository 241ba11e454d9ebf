import { ConnectionStatus } from './components/ConnectionStatus';
import { ErrorAlert } from './components/ErrorAlert';
import { LeaveGuard } from './components/LeaveGuard';
import { RecordButton } from './components/RecordButton';
import { SettingsForm } from './components/SettingsForm';
import { Transcript } from './components/Transcript';
import { TranscriptActions } from './components/TranscriptActions';
import { VoiceActivity } from './components/VoiceActivity';

export function App() {
  return (
    <div className="min-h-screen">
      <LeaveGuard />
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center justify-between gap-4 px-4 py-3">
          <h1 className="flex items-center gap-2 text-lg font-bold tracking-tight">
            <img src="/favicon.svg" alt="" className="h-7 w-7" />
            Dictate
          </h1>
          <ConnectionStatus />
        </div>
      </header>
      <main className="mx-auto max-w-3xl space-y-4 px-4 py-6">
        <ErrorAlert />
        <section
          aria-label="Recorder"
          className="flex flex-wrap items-center justify-between gap-4 rounded-xl border border-slate-200 bg-white p-4"
        >
          <RecordButton />
          <VoiceActivity />
        </section>
        <section aria-label="Transcript" className="space-y-3">
          <Transcript />
          <TranscriptActions />
        </section>
        <SettingsForm />
      </main>
    </div>
  );
}
