/**
 * The dictation session: capture → protocol → socket → store.
 *
 * One run per `start()`. Capture and connection start together; frames captured before the service
 * is ready are queued and sent once it is, so the first words are not lost. `stop()` drains the
 * microphone, asks the service to finish (VoiceRun: session.close → session.closed; Reson8:
 * flush_request → flush_confirmation; Speechall: trailing silence, then a quiet period) and waits
 * for that, with a timeout, so the last words arrive. The session reports to a {@link SessionSink}
 * (the store) and holds the socket and audio objects itself; the store never sees them.
 */
import { microphoneError } from '../audio/errors';
import type { Capture, StartCapture } from '../audio/capture';
import { LevelVad } from '../audio/vad';
import { DictationError } from '../core/errors';
import type { TranscriptEvent } from '../core/events';
import type { Pcm16Frame } from '../core/frames';
import type { ProtocolStep, StreamingProtocol } from '../protocol/adapter';
import { badSettings, connectFailed, handshakeTimeout, protocolErrorToUser, serverEnded } from './errors';
import { createProtocol as defaultCreateProtocol, serverLabel, type PageLocation, type SessionSettings } from './settings';
import type { Connect, Transport } from './transport';

/** Lifecycle of a session, as the UI shows it. */
export type SessionStatus = 'idle' | 'connecting' | 'ready' | 'recording' | 'stopping' | 'error';

/** Transcript events the store renders. */
export type TranscriptUpdate = Extract<TranscriptEvent, { type: 'speech-started' | 'speech-stopped' | 'partial' | 'final' }>;

/** Where a session reports. Implemented by the store. */
export interface SessionSink {
  status(status: Exclude<SessionStatus, 'error'>): void;
  transcript(update: TranscriptUpdate): void;
  /** The session ended with this error (status becomes `error`). */
  fail(error: DictationError): void;
  /** Something went wrong but the session goes on. */
  notice(error: DictationError): void;
  /** Input level, 0–1 (peak over the last 100 ms). */
  level(peak: number): void;
}

/** What the store calls. */
export interface SessionControl {
  start(settings: SessionSettings, sink: SessionSink): void;
  stop(): void;
}

/** Everything the session needs from the outside world; tests pass fakes. */
export interface SessionDeps {
  readonly startCapture: StartCapture;
  readonly connect: Connect;
  /** Page location, for the local engine's URL. */
  readonly location: PageLocation;
  readonly createProtocol?: (settings: SessionSettings, location: PageLocation) => StreamingProtocol;
  /** Longest wait from connecting to the service's `ready`, ms (default 10000). */
  readonly handshakeTimeoutMs?: number;
  /** Longest wait for the service to confirm the end of the stream, ms (default 5000). */
  readonly finishTimeoutMs?: number;
}

const LEVEL_EVERY_FRAMES = 5; // 100 ms

/** Creates the controller the store drives; at most one run at a time. */
export function createSession(deps: SessionDeps): SessionControl {
  let current: { stop(): void } | null = null;
  return {
    start(settings, sink) {
      if (current) return;
      current = run(settings, sink, deps, () => {
        current = null;
      });
    },
    stop() {
      current?.stop();
    },
  };
}

function run(settings: SessionSettings, sink: SessionSink, deps: SessionDeps, done: () => void): { stop(): void } {
  const handshakeMs = deps.handshakeTimeoutMs ?? 10_000;
  const finishMs = deps.finishTimeoutMs ?? 5_000;
  let socket: Transport | null = null;
  let protocol: StreamingProtocol;
  let server = 'the transcription server';
  let ready = false;
  let captureRunning = false;
  let captureDrained = false;
  let stopping = false;
  let over = false;
  const queue: ArrayBuffer[] = [];
  let levelPeak = 0;
  let levelFrames = 0;
  let handshakeTimer: ReturnType<typeof setTimeout> | undefined = undefined;
  let finishTimer: ReturnType<typeof setTimeout> | undefined;
  let quietTimer: ReturnType<typeof setTimeout> | undefined;
  let finishing = false;
  /** For services that report no voice activity: from the microphone level. */
  let levelVad: LevelVad | null = null;

  sink.status('connecting');

  const onFrame = (frame: Pcm16Frame) => {
    if (over) return;
    if (frame.peak > levelPeak) levelPeak = frame.peak;
    if (++levelFrames === LEVEL_EVERY_FRAMES) {
      sink.level(levelPeak);
      levelPeak = 0;
      levelFrames = 0;
    }
    const vad = levelVad?.push(frame.peak);
    if (vad) sink.transcript({ type: vad === 'started' ? 'speech-started' : 'speech-stopped' });
    if (ready && socket) socket.send(protocol.encodeAudio(frame.pcm));
    else queue.push(frame.pcm);
  };

  const capturePromise: Promise<Capture | null> = deps.startCapture({ onFrame, onError: (error) => end(error) }).then(
    (capture) => {
      if (!over && !stopping) {
        captureRunning = true;
        updateStatus();
      }
      return capture;
    },
    (cause: unknown) => {
      end(cause instanceof DictationError ? cause : microphoneError(cause));
      return null;
    },
  );

  try {
    protocol = (deps.createProtocol ?? defaultCreateProtocol)(settings, deps.location);
    if (!protocol.reportsVad) levelVad = new LevelVad();
    const request = protocol.connection();
    server = serverLabel(request.url);
    socket = deps.connect(request, {
      open: () => apply(protocol.open()),
      message: (data) => {
        if (over) return;
        if (finishing && protocol.finishQuietMs !== undefined) {
          clearTimeout(quietTimer);
          quietTimer = setTimeout(complete, protocol.finishQuietMs);
        }
        apply(protocol.receive(data));
      },
      close: (code, reason, opened) => onClose(code, reason, opened),
    });
  } catch (cause) {
    end(badSettings(cause instanceof Error ? cause.message : 'The connection settings are not valid.'));
    return { stop() {} };
  }
  handshakeTimer = setTimeout(() => end(handshakeTimeout(server, Math.round(handshakeMs / 1000))), handshakeMs);

  function apply(step: ProtocolStep) {
    for (const message of step.send) socket?.send(message);
    for (const event of step.events) onEvent(event);
  }

  function onEvent(event: TranscriptEvent) {
    if (over) return;
    switch (event.type) {
      case 'ready':
        ready = true;
        clearTimeout(handshakeTimer);
        for (const pcm of queue) socket?.send(protocol.encodeAudio(pcm));
        queue.length = 0;
        updateStatus();
        if (captureDrained) finishStream();
        return;
      case 'finished':
        if (!stopping) sink.notice(serverEnded(server));
        complete();
        return;
      case 'error': {
        const error = protocolErrorToUser(event.error, server, settings.apiKey);
        if (event.error.fatal) end(error);
        else if (event.error.code === 'unknown-message') console.warn(`Dictate: ${event.error.message}`);
        else sink.notice(error);
        return;
      }
      default:
        sink.transcript(event);
    }
  }

  function updateStatus() {
    if (over || stopping) return;
    if (ready && captureRunning) sink.status('recording');
    else if (ready) sink.status('ready');
  }

  function onClose(code: number, reason: string, opened: boolean) {
    if (over) return;
    if (!opened) return end(connectFailed(server, protocol.refusalHint));
    const error = protocol.describeClose(code, reason);
    if (!error || (stopping && code === 1000)) return complete();
    end(protocolErrorToUser(error, server, settings.apiKey));
  }

  function finishStream() {
    finishing = true;
    apply(protocol.finish());
    finishTimer = setTimeout(complete, finishMs);
    if (protocol.finishQuietMs !== undefined) quietTimer = setTimeout(complete, protocol.finishQuietMs);
  }

  function clearTimers() {
    clearTimeout(handshakeTimer);
    clearTimeout(finishTimer);
    clearTimeout(quietTimer);
  }

  /** Normal end: the service has delivered everything (or the finish timeout passed). */
  function complete() {
    if (over) return;
    over = true;
    clearTimers();
    void capturePromise.then((capture) => capture?.stop()); // already drained after stop()
    socket?.close(1000, 'done');
    sink.level(0);
    sink.status('idle');
    done();
  }

  /** Abnormal end. */
  function end(error: DictationError) {
    if (over) return;
    over = true;
    clearTimers();
    void capturePromise.then((capture) => capture?.stop());
    socket?.close(1000, 'error');
    sink.level(0);
    sink.fail(error);
    done();
  }

  return {
    stop() {
      if (over || stopping) return;
      stopping = true;
      sink.status('stopping');
      void capturePromise
        .then((capture) => capture?.stop())
        .then(() => {
          captureDrained = true;
          if (over) return;
          if (ready) finishStream(); // else: the queued audio goes out when the service is ready
        });
    },
  };
}
