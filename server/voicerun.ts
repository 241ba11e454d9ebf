/**
 * The VoiceRun Transcribe protocol, server side (docs/protocols.md, "VoiceRun Transcribe"), on the engine.
 *
 * connect → `session.created {session: {id: "ts_…"}}` → client `session.update` →
 * `session.updated` (echoing the config) → `audio.append` (base64 PCM16 or mu-law) →
 * `speech.started`, `transcription.partial`, `transcription.completed`, `speech.stopped` →
 * client `session.close` → the utterance in progress is finished → `session.closed` → close 1000.
 *
 * Errors use VoiceRun's codes ("VoiceRun: server messages") and keep the session open unless the
 * socket cannot continue (a wrong key: close 4001; a message over 1 MiB: close 1009; a recognizer
 * failure: close 1011).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { isObject } from '../src/core/json';
import { decodeMulaw } from '../src/protocol/mulaw';
import {
  VOICERUN_CLOSE_UNAUTHORIZED,
  VOICERUN_LOCAL_MODEL_NAME as LOCAL_MODEL,
  VOICERUN_LOCAL_PROVIDER as LOCAL_PROVIDER,
  type VoiceRunAudioFormat,
} from '../src/protocol/voicerun-contract';
import { checkHandshake, credentialValid } from './auth';
import { MAX_MESSAGE_BYTES, pcm16Samples, serveConnection, type AudioStream, type Connection, type ServerContext } from './connection';
import { vocabularyOf } from './engine/engine';

/** How long a client that presented no key on the handshake has to send `auth`, ms. */
export const AUTH_TIMEOUT_MS = 10_000;
/** How long a client has to send `session.update` after `session.created`, ms. */
export const CONFIGURE_TIMEOUT_MS = 10_000;

type ErrorCode = 'invalid_message' | 'invalid_config' | 'invalid_model' | 'invalid_provider' | 'provider_error' | 'internal_error';

interface SessionConfig {
  model: string;
  provider: string;
  language: string;
  prompt?: string;
  input_audio_format: VoiceRunAudioFormat;
  sample_rate: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Validates `session.update`'s `session` ("VoiceRun: client messages").
 * @returns the config, or the error to send
 */
export function validateSessionUpdate(session: unknown): SessionConfig | { code: ErrorCode; message: string } {
  if (!isObject(session)) return { code: 'invalid_config', message: 'session.update needs a "session" object.' };
  const { model, provider, language, prompt, input_audio_format: format, sample_rate: rate } = session;
  if (typeof provider !== 'string' || !provider) return { code: 'invalid_config', message: 'session.provider is required (a string).' };
  if (typeof model !== 'string' || !model) return { code: 'invalid_config', message: 'session.model is required (a string).' };
  if (provider.toUpperCase() !== LOCAL_PROVIDER) {
    return {
      code: 'invalid_provider',
      message: `Unknown or unsupported provider: ${provider.slice(0, 60)}. This server offers "${LOCAL_PROVIDER}".`,
    };
  }
  if (model !== LOCAL_MODEL)
    return { code: 'invalid_model', message: `Unknown STT model: ${model.slice(0, 60)}. This server offers "${LOCAL_MODEL}".` };
  if (language !== undefined && typeof language !== 'string')
    return { code: 'invalid_config', message: 'session.language must be a string.' };
  const lang = (language ?? 'en').trim() || 'en';
  if (!/^(en(-[A-Za-z0-9]+)*|multi)$/i.test(lang)) {
    return {
      code: 'invalid_config',
      message: `Language "${lang.slice(0, 20)}" is not supported by ${LOCAL_MODEL}: use "en" (or "multi").`,
    };
  }
  if (prompt !== undefined && typeof prompt !== 'string') return { code: 'invalid_config', message: 'session.prompt must be a string.' };
  if (format !== undefined && format !== 'pcm16' && format !== 'mulaw') {
    return { code: 'invalid_config', message: 'session.input_audio_format must be "pcm16" or "mulaw".' };
  }
  if (rate !== undefined && rate !== 16000) {
    return {
      code: 'invalid_config',
      message: `session.sample_rate ${JSON.stringify(rate).slice(0, 20)} is not supported: ${LOCAL_MODEL} takes 16000 Hz.`,
    };
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
  let audio: AudioStream | null = null;
  let config: SessionConfig | null = null;
  let authTimer: NodeJS.Timeout | undefined;

  const conn = serveConnection(ws, ctx, id, {
    binary(conn) {
      if (phase === 'auth') return unauthorized();
      error(conn, 'invalid_message', 'Binary frames are not part of this protocol: send audio.append with base64 audio.');
    },
    text: (conn, text) => onText(conn, text),
    tooBig(conn, size) {
      error(conn, 'invalid_message', `Message of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit; send audio in 20 ms chunks.`);
    },
    drain() {
      phase = 'closed';
      clearTimeout(authTimer);
      clearTimeout(configureTimer);
      return Promise.resolve();
    },
    // The server shuts down: the last finals, `session.closed`, then 1001.
    async shutdown(conn, stream) {
      await stream?.finish().catch(() => undefined);
      conn.send({ type: 'session.closed' });
      phase = 'closed';
      conn.close(1001, 'Server shutting down');
    },
  });
  let configureTimer: NodeJS.Timeout | undefined;

  function error(c: Connection, code: ErrorCode, message: string) {
    c.send({ type: 'error', error: { code, message } });
  }
  function unauthorized() {
    phase = 'closed';
    clearTimeout(authTimer);
    conn.close(VOICERUN_CLOSE_UNAUTHORIZED, 'Unauthorized');
  }
  function created() {
    phase = 'created';
    conn.send({ type: 'session.created', session: { id } });
    configureTimer = setTimeout(() => {
      if (phase === 'created') conn.close(1008, `No session.update within ${CONFIGURE_TIMEOUT_MS / 1000} s`);
    }, CONFIGURE_TIMEOUT_MS);
  }

  const auth = checkHandshake(request, ctx.apiKey, undefined, ctx.tokens);
  ctx.log(`${id} connected (${auth === 'missing' ? 'awaiting auth message' : auth})`);
  if (auth === 'rejected') return unauthorized();
  if (auth === 'accepted') created();
  else authTimer = setTimeout(unauthorized, AUTH_TIMEOUT_MS);

  function onText(c: Connection, text: string) {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      if (phase === 'auth') return unauthorized();
      return error(c, 'invalid_message', 'Malformed message: not valid JSON.');
    }
    if (!isObject(message) || typeof message.type !== 'string') {
      if (phase === 'auth') return unauthorized();
      return error(c, 'invalid_message', 'Malformed message: expected a JSON object with a string "type".');
    }
    if (phase === 'auth') {
      if (
        message.type === 'auth' &&
        typeof message.token === 'string' &&
        ctx.apiKey &&
        credentialValid(message.token, ctx.apiKey, ctx.tokens)
      ) {
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
        return configure(c, message.session);
      case 'audio.append':
        return append(c, message.audio);
      case 'session.close':
        return void close();
      default:
        return error(c, 'invalid_message', `Unknown message type "${message.type.slice(0, 60)}".`);
    }
  }

  function configure(c: Connection, session: unknown) {
    if (phase !== 'created') return error(c, 'invalid_config', 'The session is already configured; open a new connection to change it.');
    const result = validateSessionUpdate(session);
    if ('code' in result) return error(c, result.code, result.message);
    phase = 'configuring';
    clearTimeout(configureTimer);
    const stream = c.startAudio(
      {
        speechStarted: () => c.send({ type: 'speech.started' }),
        partial: (text) => c.send({ type: 'transcription.partial', text }),
        final: ({ text }) => {
          if (text) c.send({ type: 'transcription.completed', text, language: 'en' });
        },
        speechStopped: () => c.send({ type: 'speech.stopped' }),
      },
      {
        // The recognizer cannot take more audio: end the session rather than drop what follows.
        onFailure: () => error(c, 'provider_error', 'The speech recognizer failed; start a new session.'),
        // The engine cannot run (not installed): say what to install; the client may try again.
        onUnavailable: (cause) => {
          if (phase !== 'configuring') return;
          phase = 'created';
          error(c, 'provider_error', cause.message);
        },
        // session.prompt: keywords, comma-separated as the Deepgram example writes them ("VoiceRun: client messages").
        vocabulary: vocabularyOf(result.prompt?.split(/[,\n]/) ?? []),
      },
    );
    void stream.open().then(
      () => {
        if (phase !== 'configuring') return;
        audio = stream;
        config = result;
        phase = 'streaming';
        c.send({ type: 'session.updated', session: result });
        ctx.log(`${id} configured ${result.model} (${result.input_audio_format})`);
      },
      () => undefined, // handled by onUnavailable
    );
  }

  function append(c: Connection, data: unknown) {
    if (phase !== 'streaming' || !audio || !config) {
      return error(c, 'invalid_message', 'audio.append before session.updated: send session.update and wait for session.updated.');
    }
    if (typeof data !== 'string') return error(c, 'invalid_message', 'audio.append needs "audio": a base64 string.');
    if (data.length % 4 !== 0 || !BASE64.test(data)) return error(c, 'invalid_message', 'audio.append: "audio" is not valid base64.');
    const bytes = Buffer.from(data, 'base64');
    if (config.input_audio_format === 'mulaw') return audio.write(decodeMulaw(bytes));
    if (bytes.length % 2 !== 0)
      return error(c, 'invalid_message', `audio.append: ${bytes.length} bytes is not a whole number of 16-bit samples.`);
    audio.write(pcm16Samples(bytes));
  }

  async function close() {
    if (phase === 'closing' || phase === 'closed') return;
    const wasStreaming = phase === 'streaming';
    phase = 'closing';
    if (wasStreaming) await audio?.finish().catch(() => undefined);
    conn.send({ type: 'session.closed' });
    phase = 'closed';
    conn.close(1000, 'Session closed');
  }
}
