/**
 * The Reson8 realtime protocol, server side (shared/seeds 003), backed by PocketSphinx.
 *
 * `GET /v1/speech-to-text/realtime?encoding=pcm_s16le&sample_rate=16000&channels=1&include_…` with
 * `Authorization: ApiKey <key>` / `Bearer <token>` or `Sec-WebSocket-Protocol: bearer, <token>`
 * (answered with `bearer`, never the token). Audio: binary frames. Client `flush_request {id}` →
 * the utterance in progress is finalised → its `transcript` → `flush_confirmation {id}`.
 * `transcript {text, is_final?, start_ms?, duration_ms?, words?}` with the fields the query asked for.
 *
 * Errors (seed: "Errors"): the upgrade is refused with 400 INVALID_REQUEST (bad parameters),
 * 401 UNAUTHORIZED (missing or wrong key) or 500 INTERNAL_ERROR (engine not installed). The seed
 * defines no in-stream error message, so a malformed message closes the socket with 1007 and a
 * reason, a frame over 1 MiB with 1009, and a decoder failure with 1011.
 */
import type { WebSocket } from 'ws';
import type { CredentialSources } from './auth';
import type { PocketSphinxEngine, Utterance } from './engine/pocketsphinx';
import { byteLength, openBinaryAudioStream, queryBoolean, upgradeCheckedEndpoint, type Endpoint, type Rejection, type ServerContext } from './stream';

/** Path of the endpoint (seed: `wss://api.reson8.dev/v1/speech-to-text/realtime`). */
export const RESON8_PATH = '/v1/speech-to-text/realtime';
/** `custom_model_id` values this server accepts (empty: the default model). */
export const RESON8_LOCAL_MODEL = 'pocketsphinx-en-us';
/** Largest binary or text message accepted, bytes. */
export const RESON8_MAX_MESSAGE_BYTES = 1024 * 1024;

/** Seed "Request → Headers": Authorization ApiKey/Bearer, or the bearer subprotocol. */
const CREDENTIALS: CredentialSources = { header: ['ApiKey', 'Bearer'], query: [], subprotocol: true };

/** The query parameters of one connection (seed "Query Parameters"). */
export interface Reson8Options {
  readonly includeInterim: boolean;
  readonly includeTimestamps: boolean;
  readonly includeWords: boolean;
  readonly includeConfidence: boolean;
}

const invalid = (message: string): Rejection => ({ status: 400, body: { error: { code: 'INVALID_REQUEST', message } } });

/**
 * Validates the query (seed "Query Parameters"). `encoding=auto` is read as PCM16: the only
 * encoding this server decodes.
 */
export function parseReson8Query(url: URL): Reson8Options | Rejection {
  const encoding = url.searchParams.get('encoding') ?? 'auto';
  if (encoding !== 'auto' && encoding !== 'pcm_s16le') return invalid(`encoding must be auto or pcm_s16le (got "${encoding.slice(0, 20)}").`);
  const rate = url.searchParams.get('sample_rate');
  if (rate !== null && rate !== '16000') return invalid(`sample_rate ${rate.slice(0, 20)} is not supported: the local engine takes 16000 Hz.`);
  const channels = url.searchParams.get('channels');
  if (channels !== null && channels !== '1') return invalid(`channels ${channels.slice(0, 20)} is not supported: send mono (1).`);
  const model = url.searchParams.get('custom_model_id');
  if (model && model !== RESON8_LOCAL_MODEL) return invalid(`Unknown custom_model_id "${model.slice(0, 60)}". This server offers "${RESON8_LOCAL_MODEL}".`);
  const flags: Record<keyof Reson8Options, string> = {
    includeInterim: 'include_interim',
    includeTimestamps: 'include_timestamps',
    includeWords: 'include_words',
    includeConfidence: 'include_confidence',
  };
  const options = {} as Record<keyof Reson8Options, boolean>;
  for (const [key, name] of Object.entries(flags) as [keyof Reson8Options, string][]) {
    const value = queryBoolean(url, name);
    if (value instanceof Error) return invalid(value.message);
    options[key] = value ?? false;
  }
  return options;
}

/** A `transcript` message with only the fields the query asked for (seed "Transcript"). */
export function transcriptMessage(utterance: Pick<Utterance, 'text'> & Partial<Utterance>, isFinal: boolean, options: Reson8Options): object {
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

function handle(ws: WebSocket, options: Reson8Options, ctx: ServerContext, engine: PocketSphinxEngine): void {
  const id = `r8_${Math.random().toString(36).slice(2, 10)}`;
  const send = (message: object) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  // Flushes are answered in the order they were asked; the decoder is freed after the last.
  let flushes = Promise.resolve();
  const stream = openBinaryAudioStream(
    ws,
    ctx,
    engine,
    id,
    {
      partial: (text) => {
        if (options.includeInterim) send(transcriptMessage({ text }, false, options));
      },
      final: (utterance) => {
        if (utterance.text) send(transcriptMessage(utterance, true, options));
      },
    },
    () => flushes,
  );
  const { decoder, reader, fail } = stream;
  ctx.log(`${id} connected (reson8${options.includeInterim ? ', interim' : ''})`);

  ws.on('message', (data, isBinary) => {
    if (!stream.open) return;
    if (byteLength(data) > RESON8_MAX_MESSAGE_BYTES) return fail(1009, `Message over ${RESON8_MAX_MESSAGE_BYTES} bytes`);
    if (isBinary) return decoder.write(reader.read(data));
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return fail(1007, 'Malformed message: not valid JSON');
    }
    const m = message as { type?: unknown; id?: unknown };
    if (typeof message !== 'object' || message === null || m.type !== 'flush_request') {
      return fail(1007, 'Unknown message: expected binary audio or flush_request');
    }
    if (m.id !== undefined && m.id !== null && typeof m.id !== 'string') return fail(1007, 'flush_request id must be a string');
    const flushId = typeof m.id === 'string' ? m.id : null;
    flushes = flushes.then(async () => {
      await decoder.finish().catch(() => {});
      send({ type: 'flush_confirmation', id: flushId });
    });
  });
}

/** The Reson8 realtime endpoint. */
export const reson8Endpoint: Endpoint = upgradeCheckedEndpoint(
  {
    credentials: CREDENTIALS,
    parse: parseReson8Query,
    unauthorized: (missing) => ({ error: { code: 'UNAUTHORIZED', message: missing ? 'Missing credentials.' : 'Invalid or expired credentials.' } }),
    internalError: (message) => ({ error: { code: 'INTERNAL_ERROR', message } }),
  },
  handle,
);
