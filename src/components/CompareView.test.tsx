import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createComparison, type ComparisonControl } from '../session/compare';
import type { Connect } from '../session/transport';
import { useCompare } from '../store/compare';
import { currentHistory, settled } from '../store/persistence';
import { FakeMicrophone, FakeReson8Service, FakeVoiceRunService } from '../test/fakes';
import { resetStores } from '../test/stores';
import { useDictation } from '../store/dictation';
import { FRAME_SAMPLES } from '../core/frames';
import { CompareView } from './CompareView';

let mic: FakeMicrophone;
let voicerun: FakeVoiceRunService;
let reson8: FakeReson8Service;
let control: ComparisonControl;

/** One connect for every column, routed by the endpoint's path as the local server routes it. */
const connect: Connect = (request, handlers) =>
  new URL(request.url).pathname === '/ws' ? voicerun.connect(request, handlers) : reson8.connect(request, handlers);

const VOICERUN = 'Local engine (PocketSphinx, offline) (VoiceRun protocol)';
const RESON8 = 'Local engine (PocketSphinx, offline) (Reson8 protocol)';
const column = (name: string) => screen.getByRole('region', { name });

beforeEach(() => {
  resetStores();
  mic = new FakeMicrophone();
  voicerun = new FakeVoiceRunService();
  reson8 = new FakeReson8Service();
  control = createComparison({
    startCapture: mic.start,
    connect,
    location: { protocol: 'http:', host: 'localhost:8787' },
    reconnect: { baseDelayMs: 10 },
    random: () => 0,
    finishTimeoutMs: 500,
  });
  useCompare.setState({ control });
});
afterEach(() => control.abort());

describe('Compare services', () => {
  it('streams one microphone to two dialects, each in its own column; one reconnects while the other goes on; the results score, diff and keep', async () => {
    const user = userEvent.setup();
    render(<CompareView />);
    expect(screen.getByRole('checkbox', { name: VOICERUN })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: RESON8 })).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Compare from the microphone' }));
    await vi.waitFor(() => {
      expect(within(column(VOICERUN)).getByRole('status')).toHaveTextContent('Listening');
      expect(within(column(RESON8)).getByRole('status')).toHaveTextContent('Listening');
    });
    // One capture: both services get every frame.
    act(() => {
      for (let i = 0; i < 10; i++) mic.emit(0.5);
    });
    await vi.waitFor(() => expect(reson8.audio.length).toBe(10));
    expect(voicerun.received.filter((m) => m.type === 'audio.append')).toHaveLength(10);

    act(() => {
      voicerun.push({ type: 'transcription.partial', text: 'had he married' });
      reson8.push({ type: 'transcript', text: 'had he', is_final: false });
    });
    expect(within(column(VOICERUN)).getByLabelText(`Words from ${VOICERUN}`)).toHaveTextContent('had he married');

    // Reson8's connection drops: its column reconnects, VoiceRun's goes on untouched.
    act(() => reson8.serverClose(1006));
    expect(within(column(RESON8)).getByRole('status')).toHaveTextContent('Reconnecting… (attempt 1)');
    expect(within(column(VOICERUN)).getByRole('status')).toHaveTextContent('Listening');
    await vi.waitFor(() => expect(within(column(RESON8)).getByRole('status')).toHaveTextContent('Listening'));
    expect(voicerun.connections).toBe(1);
    expect(reson8.connections).toBe(2);

    act(() => {
      voicerun.push({ type: 'transcription.completed', text: 'had he married a more amiable woman' });
      reson8.push({ type: 'transcript', text: 'had he married a more amiable wall', is_final: true });
    });
    await user.click(screen.getByRole('button', { name: 'Stop comparing' }));
    await vi.waitFor(() => expect(screen.getByRole('table', { name: /Figures per service/ })).toBeInTheDocument(), { timeout: 3000 });

    // WER against the first column: one word of seven differs.
    const table = screen.getByRole('table', { name: `Figures per service (WER against ${VOICERUN})` });
    // A figure per row, the services side by side: VoiceRun (the reference) then Reson8.
    const cells = (figure: string) =>
      within(
        within(screen.getByRole('table', { name: /Figures per service/ })).getByRole('row', { name: new RegExp(`^${figure}`) }),
      ).getAllByRole('cell');
    expect(table).toBeInTheDocument();
    expect(cells('WER').map((c) => c.textContent)).toEqual(['–', '14.3 %']);
    expect(cells('Reconnects').map((c) => c.textContent)).toEqual(['0', '1']);
    const diff = screen.getByLabelText(`Differences of ${RESON8}`);
    expect(within(diff).getByText('wall')).toHaveTextContent('wall (reference: woman)');

    // Scored against the user's own text instead.
    await user.click(screen.getByRole('radio', { name: /Your own text/ }));
    const reference = screen.getByRole('textbox', { name: 'Reference text' });
    expect(reference).toHaveValue('had he married a more amiable woman');
    await user.clear(reference);
    await user.type(reference, 'had he married a more amiable wall');
    expect(screen.getByRole('table', { name: 'Figures per service (WER against your text)' })).toBeInTheDocument();
    expect(cells('WER').map((c) => c.textContent)).toEqual(['14.3 %', '0.0 %']);

    // Kept in History: one session, a version per column, and the comparison with the reference chosen.
    expect(screen.getByText(/Kept in History as “Comparison:/)).toBeInTheDocument();
    await settled();
    const history = await currentHistory();
    const [meta] = (await history!.list()).filter((m) => m.comparison);
    expect(meta.versions?.map((v) => v.label)).toEqual([VOICERUN, RESON8]);
    expect(meta.comparison?.reference).toEqual({ kind: 'text', text: 'had he married a more amiable wall' });
    expect((await history!.segmentsOf(meta.versions![1].key)).map((s) => s.text)).toEqual(['had he married a more amiable wall']);
  });

  it('a column that fails ends alone, with its own message, and the other finishes', async () => {
    const user = userEvent.setup();
    reson8 = new FakeReson8Service({ apiKey: 'needs-a-key' }); // refuses the keyless connection
    render(<CompareView />);
    await user.click(screen.getByRole('button', { name: 'Compare from the microphone' }));
    await vi.waitFor(() => expect(within(column(RESON8)).getByRole('alert')).toBeInTheDocument(), { timeout: 5000 });
    expect(within(column(VOICERUN)).getByRole('status')).toHaveTextContent('Listening');
    act(() => {
      mic.emit(0.5);
      voicerun.push({ type: 'transcription.completed', text: 'still here' });
    });
    await user.click(screen.getByRole('button', { name: 'Stop comparing' }));
    await vi.waitFor(() => expect(screen.getByRole('table', { name: /Figures per service/ })).toBeInTheDocument(), { timeout: 3000 });
    expect(screen.getByLabelText(`Words from ${VOICERUN}`)).toHaveTextContent('still here');
    expect(within(column(RESON8)).getByRole('status')).toHaveTextContent('Stopped with an error');
  });

  it('compares a file: both columns hear all of it, and the comparison ends by itself with the file', async () => {
    const user = userEvent.setup();
    let sent = 0;
    let endOfFile = false;
    // A file of 10 frames, read as fast as the slowest column takes it, then its end (once the test says).
    useDictation.setState({
      fileSource: (_file, onProgress) => (handlers) => {
        const timer = setInterval(() => {
          if (sent === 10) {
            if (!endOfFile) return;
            clearInterval(timer);
            return handlers.onEnd?.();
          }
          const pcm = new Int16Array(FRAME_SAMPLES).fill(++sent);
          handlers.onFrame({ pcm: pcm.buffer, peak: 0.5 });
          onProgress(sent / 10);
        }, 5);
        return Promise.resolve({ sampleRate: 16_000, stop: () => Promise.resolve(clearInterval(timer)) });
      },
    });
    render(<CompareView />);
    await user.upload(screen.getByLabelText('Compare a file…'), new File([new Uint8Array(10)], 'talk.wav', { type: 'audio/wav' }));
    await vi.waitFor(() => expect(reson8.audio.length).toBe(10));
    act(() => {
      voicerun.push({ type: 'transcription.completed', text: 'from the file' });
      reson8.push({ type: 'transcript', text: 'from the file', is_final: true });
    });
    endOfFile = true;
    await vi.waitFor(() => expect(screen.getByRole('table', { name: /Figures per service/ })).toBeInTheDocument(), { timeout: 5000 });
    expect(screen.getByText('Heard from talk.wav.')).toBeInTheDocument();
    expect(voicerun.received.filter((m) => m.type === 'audio.append')).toHaveLength(10);
    expect(screen.getByLabelText(`Words from ${RESON8}`)).toHaveTextContent('from the file');
  });

  it('needs two to four services', async () => {
    const user = userEvent.setup();
    render(<CompareView />);
    await user.click(screen.getByRole('checkbox', { name: RESON8 }));
    expect(screen.getByRole('button', { name: 'Compare from the microphone' })).toBeDisabled();
  });
});
