/**
 * The Speechall streaming protocol, server side (docs/protocols.md, "Speechall streaming"), on the engine.
 *
 * `GET /v1/transcribe?api_key=…&model=<provider>.<model>&language=en&output_format=text|json|verbose_json…`
 * (or `Authorization: Bearer <key>` for server-side clients). Audio: binary PCM16, 16 kHz mono.
 * One result per utterance, when the engine's VAD hears it end: a plain-text frame for `text`, or
 * `{id, text, language, words: [{text, start, end, confidence}]}` (seconds) for `json`, plus the
 * utterance's `start`, `end` and `duration` for `verbose_json`.
 *
 * Speechall has no end-of-stream message ("Speechall: finishing a stream"): a client that wants the
 * last words sends trailing silence so the VAD ends the utterance, waits for the result, then closes.
 *
 * Errors: a missing or wrong key refuses the upgrade with 401, bad parameters with 400, an engine
 * that cannot run with 500 (JSON body `{error: {code, message}}`). Speechall defines no in-stream
 * error message, so a text frame closes with 1003 and a reason, a message over 1 MiB with 1009, and
 * a recognizer failure with 1011.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { CredentialSources } from './auth';
import { Pcm16Reader, queryBoolean, serveConnection, upgradeCheckedEndpoint, type Endpoint, type ServerContext } from './connection';
import { vocabularyOf, type Utterance } from './engine/engine';
import {
  SPEECHALL_LOCAL_MODEL,
  SPEECHALL_OUTPUT_FORMATS,
  SPEECHALL_SPEAKERS,
  type SpeechallOutputFormat,
} from '../src/protocol/speechall-contract';

/** "Speechall: authentication": query `api_key`, or `Authorization: Bearer` from servers. */
const CREDENTIALS: CredentialSources = { header: ['Bearer'], query: ['api_key'], subprotocol: false };

/** Parameters of one connection ("Speechall: query parameters"). */
export interface SpeechallOptions {
  readonly model: string;
  readonly language: string;
  readonly outputFormat: SpeechallOutputFormat;
  readonly punctuation: boolean;
  readonly diarization: boolean;
  readonly temperature?: number;
  readonly initialPrompt?: string;
  readonly speakersExpected?: number;
  readonly customVocabulary: readonly string[];
}

/**
 * `custom_vocabulary` is an array in a query string: repeated parameters, or one JSON array.
 */
function vocabulary(url: URL): string[] | Error {
  const values = url.searchParams.getAll('custom_vocabulary').filter((v) => v !== '');
  if (values.length === 1 && values[0].trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(values[0]);
      if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) return parsed;
    } catch {
      // falls through
    }
    return new Error('custom_vocabulary must be a list of words: repeat the parameter or send a JSON array of strings.');
  }
  return values;
}

/**
 * Validates the query ("Speechall: query parameters"). PocketSphinx ignores punctuation, diarization,
 * temperature and prompts.
 * @returns the options, or an Error whose message is the reason for a 400
 */
export function parseSpeechallQuery(url: URL): SpeechallOptions | Error {
  const p = url.searchParams;
  const model = p.get('model');
  if (!model) return new Error(`model is required, e.g. ${SPEECHALL_LOCAL_MODEL}.`);
  if (model !== SPEECHALL_LOCAL_MODEL)
    return new Error(`Unknown model "${model.slice(0, 60)}". This server offers "${SPEECHALL_LOCAL_MODEL}".`);
  const language = p.get('language') || 'en';
  if (!/^(en(-[A-Za-z0-9]+)*|auto)$/i.test(language))
    return new Error(`Language "${language.slice(0, 20)}" is not supported by ${SPEECHALL_LOCAL_MODEL}: use en or auto.`);
  const format = p.get('output_format') || 'text';
  const outputFormat = SPEECHALL_OUTPUT_FORMATS.find((f) => f === format);
  if (!outputFormat) return new Error(`output_format must be text, json or verbose_json (got "${format.slice(0, 20)}").`);
  const punctuation = queryBoolean(url, 'punctuation');
  if (punctuation instanceof Error) return punctuation;
  const diarization = queryBoolean(url, 'diarization');
  if (diarization instanceof Error) return diarization;
  let temperature: number | undefined;
  if (p.get('temperature')) {
    temperature = Number(p.get('temperature'));
    if (!Number.isFinite(temperature) || temperature < 0 || temperature > 1) return new Error('temperature must be a number from 0 to 1.');
  }
  let speakersExpected: number | undefined;
  if (p.get('speakers_expected')) {
    speakersExpected = Number(p.get('speakers_expected'));
    const { min, max } = SPEECHALL_SPEAKERS;
    if (!Number.isInteger(speakersExpected) || speakersExpected < min || speakersExpected > max)
      return new Error(`speakers_expected must be an integer from ${min} to ${max}.`);
  }
  const customVocabulary = vocabulary(url);
  if (customVocabulary instanceof Error) return customVocabulary;
  return {
    model,
    language: language.toLowerCase() === 'auto' ? 'en' : language,
    outputFormat,
    punctuation: punctuation ?? true,
    diarization: diarization ?? false,
    ...(temperature !== undefined ? { temperature } : {}),
    ...(p.get('initial_prompt') ? { initialPrompt: p.get('initial_prompt') as string } : {}),
    ...(speakersExpected !== undefined ? { speakersExpected } : {}),
    customVocabulary,
  };
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/** The result frame for one utterance ("Speechall: server messages"). */
export function resultMessage(utterance: Utterance, options: SpeechallOptions): string {
  if (options.outputFormat === 'text') return utterance.text;
  const words = utterance.words.map((w) => ({
    text: w.text,
    start: seconds(w.startMs),
    end: seconds(w.startMs + w.durationMs),
    confidence: w.confidence,
  }));
  const base = { id: randomUUID(), text: utterance.text, language: options.language.split('-')[0].toLowerCase() };
  if (options.outputFormat === 'json') return JSON.stringify({ ...base, words });
  const start = seconds(utterance.startMs);
  const end = seconds(utterance.startMs + utterance.durationMs);
  return JSON.stringify({ ...base, start, end, duration: seconds(utterance.durationMs), words });
}

function handle(ws: WebSocket, options: SpeechallOptions, ctx: ServerContext): void {
  const id = `sa_${Math.random().toString(36).slice(2, 10)}`;
  const reader = new Pcm16Reader();
  const conn = serveConnection(ws, ctx, id, {
    binary: (_conn, bytes) => audio.write(reader.read(bytes)),
    text: (conn) => conn.close(1003, 'Send audio as binary PCM16 frames'),
  });
  const audio = conn.startAudio(
    {
      speechStarted() {},
      speechStopped() {},
      partial() {},
      final: (utterance) => {
        if (utterance.text) conn.send(resultMessage(utterance, options));
      },
    },
    { lazy: true, vocabulary: vocabularyOf(options.customVocabulary) },
  );
  ctx.log(`${id} connected (speechall, ${options.outputFormat})`);
}

/** The Speechall streaming endpoint. */
export const speechallEndpoint: Endpoint = upgradeCheckedEndpoint(
  // "Speechall: errors".
  { credentials: CREDENTIALS, parse: parseSpeechallQuery, codes: { 400: 'invalid_request', 401: 'unauthorized', 500: 'internal_error' } },
  (missing) => (missing ? 'An API key is required (api_key query parameter).' : 'Invalid API key.'),
  handle,
);
