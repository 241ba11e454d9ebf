/**
 * The Reson8 realtime protocol, server side (docs/protocols.md, "Reson8 realtime"), on the engine.
 *
 * `GET /v1/speech-to-text/realtime?encoding=pcm_s16le&sample_rate=16000&channels=1&include_…` with
 * `Authorization: ApiKey <key>` / `Bearer <token>` or `Sec-WebSocket-Protocol: bearer, <token>`
 * (answered with `bearer`, never the token). Audio: binary frames. Client `flush_request {id}` →
 * the utterance in progress is finalised → its `transcript` → `flush_confirmation {id}`.
 * `transcript {text, is_final?, start_ms?, duration_ms?, words?}` with the fields the query asked for.
 *
 * Errors ("Reson8: errors"): the upgrade is refused with 400 INVALID_REQUEST (bad parameters),
 * 401 UNAUTHORIZED (missing or wrong key) or 500 INTERNAL_ERROR (engine not installed). Reson8
 * defines no in-stream error message, so a malformed message closes the socket with 1007 and a
 * reason, a message over 1 MiB with 1009, and a recognizer failure with 1011.
 */
import type { WebSocket } from 'ws';
import type { CredentialSources } from './auth';
import { Pcm16Reader, queryBoolean, serveConnection, upgradeCheckedEndpoint, type Endpoint, type ServerContext } from './connection';
import type { Utterance } from './engine/engine';
import { isObject } from '../src/core/json';
import { RESON8_FLAGS, RESON8_LOCAL_MODEL, type Reson8Flags } from '../src/protocol/reson8-contract';

/** "Reson8: authentication": Authorization ApiKey/Bearer, or the bearer subprotocol. */
const CREDENTIALS: CredentialSources = { header: ['ApiKey', 'Bearer'], query: [], subprotocol: true };

/** The query parameters of one connection ("Reson8: query parameters"). */
export type Reson8Options = Readonly<Reson8Flags>;

/**
 * Validates the query ("Reson8: query parameters"). `encoding=auto` is read as PCM16: the only
 * encoding this server decodes.
 * @returns the options, or an Error whose message is the reason for a 400
 */
export function parseReson8Query(url: URL): Reson8Options | Error {
  const encoding = url.searchParams.get('encoding') ?? 'auto';
  if (encoding !== 'auto' && encoding !== 'pcm_s16le')
    return new Error(`encoding must be auto or pcm_s16le (got "${encoding.slice(0, 20)}").`);
  const rate = url.searchParams.get('sample_rate');
  if (rate !== null && rate !== '16000')
    return new Error(`sample_rate ${rate.slice(0, 20)} is not supported: the local engine takes 16000 Hz.`);
  const channels = url.searchParams.get('channels');
  if (channels !== null && channels !== '1') return new Error(`channels ${channels.slice(0, 20)} is not supported: send mono (1).`);
  const model = url.searchParams.get('custom_model_id');
  if (model && model !== RESON8_LOCAL_MODEL)
    return new Error(`Unknown custom_model_id "${model.slice(0, 60)}". This server offers "${RESON8_LOCAL_MODEL}".`);
  const options = {} as Reson8Flags;
  for (const [key, name] of Object.entries(RESON8_FLAGS) as [keyof Reson8Flags, string][]) {
    const value = queryBoolean(url, name);
    if (value instanceof Error) return value;
    options[key] = value ?? false;
  }
  return options;
}

/** A `transcript` message with only the fields the query asked for ("Reson8: server messages"). */
export function transcriptMessage(
  utterance: Pick<Utterance, 'text'> & Partial<Utterance>,
  isFinal: boolean,
  options: Reson8Options,
): object {
  const message: Record<string, unknown> = { type: 'transcript', text: utterance.text };
  if (options.includeInterim) message.is_final = isFinal;
  if (options.includeTimestamps && utterance.startMs !== undefined) {
    message.start_ms = utterance.startMs;
    message.duration_ms = utterance.durationMs ?? 0;
  }
  if (options.includeWords && utterance.words) {
    message.words = utterance.words.map((w) => ({
      text: w.text,
      ...(options.includeTimestamps ? { start_ms: w.startMs, duration_ms: w.durationMs } : {}),
      ...(options.includeConfidence ? { confidence: w.confidence } : {}),
    }));
  }
  return message;
}

function handle(ws: WebSocket, options: Reson8Options, ctx: ServerContext): void {
  const id = `r8_${Math.random().toString(36).slice(2, 10)}`;
  const reader = new Pcm16Reader();
  // Flushes are answered in the order they were asked; the recognizer is freed after the last.
  let flushes = Promise.resolve();
  const conn = serveConnection(ws, ctx, id, {
    binary: (_conn, bytes) => audio.write(reader.read(bytes)),
    text(conn, text) {
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        return conn.close(1007, 'Malformed message: not valid JSON');
      }
      if (!isObject(message) || message.type !== 'flush_request')
        return conn.close(1007, 'Unknown message: expected binary audio or flush_request');
      const flushId = message.id;
      if (flushId !== undefined && flushId !== null && typeof flushId !== 'string')
        return conn.close(1007, 'flush_request id must be a string');
      flushes = flushes.then(async () => {
        await audio.finish().catch(() => undefined);
        conn.send({ type: 'flush_confirmation', id: flushId ?? null });
      });
    },
    drain: () => flushes,
  });
  const audio = conn.startAudio(
    {
      speechStarted() {},
      speechStopped() {},
      partial: (text) => {
        if (options.includeInterim) conn.send(transcriptMessage({ text }, false, options));
      },
      final: (utterance) => {
        if (utterance.text) conn.send(transcriptMessage(utterance, true, options));
      },
    },
    { lazy: true },
  );
  ctx.log(`${id} connected (reson8${options.includeInterim ? ', interim' : ''})`);
}

/** The Reson8 realtime endpoint. */
export const reson8Endpoint: Endpoint = upgradeCheckedEndpoint(
  // "Reson8: errors".
  { credentials: CREDENTIALS, parse: parseReson8Query, codes: { 400: 'INVALID_REQUEST', 401: 'UNAUTHORIZED', 500: 'INTERNAL_ERROR' } },
  (missing) => (missing ? 'Missing credentials.' : 'Invalid or expired credentials.'),
  handle,
);
