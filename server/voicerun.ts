/**
 * The VoiceRun Transcribe protocol, server side (shared/seeds 000–002), backed by PocketSphinx.
 *
 * connect → `session.created {session: {id: "ts_…"}}` → client `session.update` →
 * `session.updated` (echoing the config) → `audio.append` (base64 PCM16 or mu-law) →
 * `speech.started`, `transcription.partial`, `transcription.completed`, `speech.stopped` →
 * client `session.close` → the utterance in progress is finished → `session.closed` → close 1000.
 *
 * Errors use the message reference's codes and keep the session open unless the socket cannot
 * continue (a wrong key: close 4001; a frame over 1 MiB: close 1009).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { decodeMulaw } from '../src/audio/mulaw';
import { isObject } from '../src/protocol/service';
import { checkHandshake, keyMatches } from './auth';
import type { Recognizer } from './engine/pocketsphinx';
import { byteLength, type ServerContext } from './stream';

/** Provider and model names of the local engine. */
export const LOCAL_PROVIDER = 'LOCAL';
export const LOCAL_MODEL = 'pocketsphinx-en-us';
/** Largest message accepted, bytes. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Close code for a missing or wrong key (overview: "Authentication"). */
export const CLOSE_UNAUTHORIZED = 4001;
/** How long a client that presented no key on the handshake has to send `auth`, ms. */
export const AUTH_TIMEOUT_MS = 10_000;

type ErrorCode = 'invalid_message' | 'invalid_config' | 'invalid_model' | 'invalid_provider' | 'provider_error' | 'internal_error';

interface SessionConfig {
  model: string;
  provider: string;
  language: string;
  prompt?: string;
  input_audio_format: 'pcm16' | 'mulaw';
  sample_rate: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Validates `session.update`'s `session` (message reference: session.update).
 * @returns the config, or the error to send
 */
export function validateSessionUpdate(session: unknown): SessionConfig | { code: ErrorCode; message: string } {
  if (!isObject(session)) return { code: 'invalid_config', message: 'session.update needs a "session" object.' };
  const { model, provider, language, prompt, input_audio_format: format, sample_rate: rate } = session;
  if (typeof provider !== 'string' || !provider) return { code: 'invalid_config', message: 'session.provider is required (a string).' };
  if (typeof model !== 'string' || !model) return { code: 'invalid_config', message: 'session.model is required (a string).' };
  if (provider.toUpperCase() !== LOCAL_PROVIDER) {
    return { code: 'invalid_provider', message: `Unknown or unsupported provider: ${provider.slice(0, 60)}. This server offers "${LOCAL_PROVIDER}".` };
  }
  if (model !== LOCAL_MODEL) return { code: 'invalid_model', message: `Unknown STT model: ${model.slice(0, 60)}. This server offers "${LOCAL_MODEL}".` };
  if (language !== undefined && typeof language !== 'string') return { code: 'invalid_config', message: 'session.language must be a string.' };
  const lang = (language ?? 'en').trim() || 'en';
  if (!/^(en(-[A-Za-z0-9]+)*|multi)$/i.test(lang)) {
    return { code: 'invalid_config', message: `Language "${lang.slice(0, 20)}" is not supported by ${LOCAL_MODEL}: use "en" (or "multi").` };
  }
  if (prompt !== undefined && typeof prompt !== 'string') return { code: 'invalid_config', message: 'session.prompt must be a string.' };
  if (format !== undefined && format !== 'pcm16' && format !== 'mulaw') {
    return { code: 'invalid_config', message: 'session.input_audio_format must be "pcm16" or "mulaw".' };
  }
  if (rate !== undefined && rate !== 16000) {
    return { code: 'invalid_config', message: `session.sample_rate ${String(rate).slice(0, 20)} is not supported: ${LOCAL_MODEL} takes 16000 Hz.` };
  }
  return {
    model,
    provider: LOCAL_PROVIDER,
    language: lang,
    ...(prompt ? { prompt } : {}),
    input_audio_format: format ?? 'pcm16',
    sample_rate: 16000,
  };
}

/** Serves one VoiceRun Transcribe connection. */
export function handleVoiceRun(ws: WebSocket, request: IncomingMessage, ctx: ServerContext): void {
  const id = `ts_${randomBytes(6).toString('hex')}`;
  type Phase = 'auth' | 'created' | 'configuring' | 'streaming' | 'closing' | 'closed';
  let phase: Phase = 'auth';
  let recognizer: Recognizer | null = null;
  let config: SessionConfig | null = null;
  let authTimer: NodeJS.Timeout | undefined;

  const send = (message: object) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const error = (code: ErrorCode, message: string) => send({ type: 'error', error: { code, message } });
  const unauthorized = () => {
    phase = 'closed';
    ws.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
  };
  const created = () => {
    phase = 'created';
    send({ type: 'session.created', session: { id } });
  };

  const auth = checkHandshake(request, ctx.apiKey);
  if (auth === 'rejected') return unauthorized();
  if (auth === 'accepted') created();
  else authTimer = setTimeout(unauthorized, AUTH_TIMEOUT_MS);
  ctx.log(`${id} connected (${auth === 'missing' ? 'awaiting auth message' : 'authenticated'})`);

  ws.on('message', (data, isBinary) => {
    try {
      onMessage(data, isBinary);
    } catch (cause) {
      ctx.log(`${id} internal error: ${cause instanceof Error ? cause.message : String(cause)}`);
      error('internal_error', 'The server failed to handle a message.');
    }
  });
  ws.on('close', () => {
    phase = 'closed';
    clearTimeout(authTimer);
    void recognizer?.close();
    recognizer = null;
    ctx.log(`${id} closed`);
  });
  ws.on('error', (cause) => ctx.log(`${id} socket error: ${cause.message}`));

  function onMessage(data: RawData, isBinary: boolean) {
    if (phase === 'closed') return;
    const size = byteLength(data);
    if (size > MAX_MESSAGE_BYTES) {
      error('invalid_message', `Message of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit; send audio in 20 ms chunks.`);
      phase = 'closed';
      ws.close(1009, 'Message too big');
      return;
    }
    if (isBinary) {
      if (phase === 'auth') return unauthorized();
      return error('invalid_message', 'Binary frames are not part of this protocol: send audio.append with base64 audio.');
    }
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      if (phase === 'auth') return unauthorized();
      return error('invalid_message', 'Malformed message: not valid JSON.');
    }
    if (!isObject(message) || typeof message.type !== 'string') {
      if (phase === 'auth') return unauthorized();
      return error('invalid_message', 'Malformed message: expected a JSON object with a string "type".');
    }
    if (phase === 'auth') {
      if (message.type === 'auth' && typeof message.token === 'string' && ctx.apiKey && keyMatches(message.token, ctx.apiKey)) {
        clearTimeout(authTimer);
        created();
        return;
      }
      return unauthorized();
    }
    switch (message.type) {
      case 'auth':
        return; // already authenticated (handshake credentials, or no key needed)
      case 'session.update':
        return void configure(message.session);
      case 'audio.append':
        return append(message.audio);
      case 'session.close':
        return void close();
      default:
        return error('invalid_message', `Unknown message type "${message.type.slice(0, 60)}".`);
    }
  }

  async function configure(session: unknown) {
    if (phase !== 'created') {
      return error('invalid_config', 'The session is already configured; open a new connection to change it.');
    }
    const result = validateSessionUpdate(session);
    if ('code' in result) return error(result.code, result.message);
    if ('unavailable' in ctx.engine) return error('provider_error', ctx.engine.unavailable);
    phase = 'configuring';
    try {
      const r = await ctx.engine.createRecognizer({
        speechStarted: () => send({ type: 'speech.started' }),
        partial: (text) => send({ type: 'transcription.partial', text }),
        final: ({ text }) => {
          if (text) send({ type: 'transcription.completed', text, language: 'en' });
        },
        speechStopped: () => send({ type: 'speech.stopped' }),
        // Audio arriving faster than it decodes: TCP backpressure instead of unbounded memory.
        backpressure: (paused) => (paused ? ws.pause() : ws.resume()),
        error: (cause) => {
          // The decoder cannot take more audio: end the session rather than drop what follows.
          ctx.log(`${id} decoder error: ${cause.message}`);
          error('provider_error', 'The speech recognizer failed; start a new session.');
          phase = 'closed';
          ws.close(1011, 'Recognizer failed');
        },
      });
      if (phase !== 'configuring') {
        void r.close(); // the client left meanwhile
        return;
      }
      recognizer = r;
      config = result;
      phase = 'streaming';
      send({ type: 'session.updated', session: result });
      ctx.log(`${id} configured ${result.model} (${result.input_audio_format})`);
    } catch (cause) {
      phase = 'created';
      error('provider_error', cause instanceof Error ? cause.message : 'The speech recognizer could not start.');
    }
  }

  function append(audio: unknown) {
    if (phase !== 'streaming' || !recognizer || !config) {
      return error('invalid_message', 'audio.append before session.updated: send session.update and wait for session.updated.');
    }
    if (typeof audio !== 'string') return error('invalid_message', 'audio.append needs "audio": a base64 string.');
    if (audio.length % 4 !== 0 || !BASE64.test(audio)) return error('invalid_message', 'audio.append: "audio" is not valid base64.');
    const bytes = Buffer.from(audio, 'base64');
    if (config.input_audio_format === 'mulaw') return recognizer.write(decodeMulaw(bytes));
    if (bytes.length % 2 !== 0) {
      return error('invalid_message', `audio.append: ${bytes.length} bytes is not a whole number of 16-bit samples.`);
    }
    const samples = new Int16Array(bytes.length / 2);
    for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
    recognizer.write(samples);
  }

  async function close() {
    if (phase === 'closing' || phase === 'closed') return;
    const wasStreaming = phase === 'streaming';
    phase = 'closing';
    if (wasStreaming && recognizer) await recognizer.finish();
    send({ type: 'session.closed' });
    phase = 'closed';
    ws.close(1000, 'Session closed');
  }
}
