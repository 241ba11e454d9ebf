import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CaptureHandlers } from '../audio/capture';
import { FRAME_BYTES } from '../core/frames';
import { App } from '../App';
import { createSession } from '../session/session';
import { attachFileSource, attachSession, useDictation } from '../store/dictation';
import { FakeMicrophone, FakeVoiceRunService } from '../test/fakes';
import { resetStores } from '../test/stores';

let service: FakeVoiceRunService;
/** The fake file's handlers, once the session has started it. */
let handlers: CaptureHandlers | null;
let progress: (fraction: number) => void;
let stopped: boolean;

beforeEach(() => {
  resetStores();
  service = new FakeVoiceRunService({ answerClose: true });
  attachSession(
    createSession({
      startCapture: new FakeMicrophone().start,
      connect: service.connect,
      location: { protocol: 'http:', host: 'localhost' },
    }),
  );
  handlers = null;
  stopped = false;
  // A file source as audio/file.ts is: frames while the backlog allows, progress, then the end.
  attachFileSource((_file, onProgress) => (h) => {
    handlers = h;
    progress = onProgress;
    return Promise.resolve({ sampleRate: 48000, stop: () => ((stopped = true), Promise.resolve()) });
  });
});

const frame = () => ({ pcm: new ArrayBuffer(FRAME_BYTES), peak: 0.5 });

describe('transcribing a file', () => {
  it('streams it into a new session named after it, with progress, and ends by itself', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.upload(screen.getByLabelText('Transcribe file'), new File(['x'], 'interview.wav', { type: 'audio/wav' }));
    await screen.findByText('Listening');
    expect(handlers?.backlog?.()).toBe(0);
    for (let i = 0; i < 10; i++) handlers!.onFrame(frame());
    progress(0.5);
    expect(await screen.findByRole('progressbar', { name: 'Transcription progress' })).toHaveAttribute('aria-valuenow', '50');
    service.push({ type: 'transcription.completed', text: 'words from the file' });
    handlers!.onEnd?.();
    expect(await screen.findByRole('button', { name: 'Start recording' })).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.getByRole('log', { name: 'Transcript' })).toHaveTextContent('words from the file');
    expect(useDictation.getState().session?.title).toBe('interview.wav');
    expect(service.received.filter((m) => m.type === 'audio.append').length).toBe(10);
  });

  it('cancels, keeping the words so far', async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.upload(screen.getByLabelText('Transcribe file'), new File(['x'], 'long.mp3', { type: 'audio/mpeg' }));
    await screen.findByText('Listening');
    service.push({ type: 'transcription.completed', text: 'the first part' });
    await user.click(within(await screen.findByText('long.mp3').then((el) => el.parentElement!)).getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByRole('button', { name: 'Start recording' })).toBeInTheDocument();
    expect(stopped).toBe(true);
    expect(screen.getByRole('log', { name: 'Transcript' })).toHaveTextContent('the first part');
  });
});
