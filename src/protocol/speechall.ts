/**
 * Speechall streaming client protocol (docs/protocols.md, "Speechall streaming").
 *
 * Connect to `…/v1/transcribe?api_key=…&model=<provider>.<model>&language=…&output_format=…` (a
 * browser can only authenticate with the query parameter: "Speechall: authentication"). Audio:
 * binary PCM16, 16 kHz mono. Results: plain-text chunks for `output_format=text`, or
 * `{id, text, language, words: [{text, start, end, confidence}]}` (seconds) for `json` /
 * `verbose_json`; both are accepted whatever was asked for. Each result is a final segment.
 *
 * Speechall has no end-of-stream message ("Speechall: finishing a stream"). To keep the last words,
 * {@link SpeechallProtocol.finish} sends 1 s of silence, which ends the utterance at the service's
 * voice-activity detection, and the stream counts as finished once the service has been quiet for
 * {@link SPEECHALL_QUIET_MS}.
 */
import { FRAME_BYTES, FRAME_MS, FRAME_SAMPLES } from '../core/frames';
import type { ProtocolError, TranscriptEvent, Word } from '../core/events';
import { isObject } from '../core/json';
import { step, type ConnectionRequest, type ProtocolStep, type StreamingProtocol, type WireMessage } from './adapter';
import { connectionRequest, flagOption, textOption, type ConnectionSettings, type OptionValues, type VocabularyRequest } from './service';
import { joinPrompt, planVocabulary, SPEECHALL_BUDGET } from './vocabulary';
import { SPEECHALL_CHUNK_CHOICES, SPEECHALL_CHUNK_SAMPLES, type SpeechallOutputFormat } from './speechall-contract';
import { errorEvent, finite, probability, readText, readyOnOpen, unexpectedClose } from './wire';

/** `output_format` ("Speechall: query parameters"). */
export type { SpeechallOutputFormat };

/** Query parameters chosen by the user ("Speechall: query parameters"). */
export interface SpeechallOptions {
  /** `provider.model`, e.g. `deepgram.nova-2`. Required. */
  readonly model: string;
  /** ISO 639-1 or `auto`; empty sends nothing (service default `en`). */
  readonly language: string;
  readonly outputFormat: SpeechallOutputFormat;
  readonly punctuation: boolean;
  readonly diarization: boolean;
  /** 0–1, as text; empty sends nothing. */
  readonly temperature: string;
  readonly initialPrompt: string;
  /** 1–10, as text; empty sends nothing. */
  readonly speakersExpected: string;
  /** Words and phrases; each is sent as one `custom_vocabulary` parameter. */
  readonly customVocabulary: readonly string[];
  /**
   * Samples per binary message ("Speechall: audio" recommends 4096, 256 ms); a multiple of nothing in
   * particular. Less than one frame (320) is taken as one frame.
   */
  readonly chunkSamples: number;
}

/** Silence sent by `finish()` so the service's VAD ends the last utterance, ms. */
export const SPEECHALL_TRAILING_SILENCE_MS = 1000;
/** After `finish()`, the stream is over once the service has sent nothing for this long, ms. */
export const SPEECHALL_QUIET_MS = 1500;

/** The session calls `finish()` only after `ready`, so there is no phase before the socket opens. */
type Phase = 'streaming' | 'finishing';

/** A Speechall streaming protocol state machine for one session. */
export class SpeechallProtocol implements StreamingProtocol {
  /** Speechall sends no voice-activity messages. */
  readonly reportsVad = false;
  readonly finishQuietMs = SPEECHALL_QUIET_MS;
  /** Speechall answers only when an utterance ends. */
  readonly replyWithinMs = 30_000;
  readonly refusalHint =
    'Speechall refuses a wrong API key (401) and invalid parameters such as an unknown model (400) before connecting: check the key, model and language in Settings.';
  private phase: Phase = 'streaming';
  /** Audio waiting to fill the next chunk. */
  private readonly chunk: Uint8Array;
  private filled = 0;

  constructor(
    private readonly connectionSettings: ConnectionSettings,
    private readonly options: SpeechallOptions,
  ) {
    // No smaller than a frame: encodeAudio returns at most one message per frame, so a smaller chunk
    // would drop the audio of every chunk but the last one a frame fills.
    this.chunk = new Uint8Array(Math.max(FRAME_SAMPLES, Math.round(options.chunkSamples) || 0) * 2);
  }

  /**
   * The URL with `api_key` (query auth) and the transcription parameters.
   * @throws Error for a bad URL, a missing key or model, or out-of-range numbers.
   */
  connection(): ConnectionRequest {
    const o = this.options;
    if (!o.model) throw new Error('Speechall needs a model such as deepgram.nova-2.');
    if (!/^[^.\s]+\.\S+$/.test(o.model))
      throw new Error(`The model "${o.model.slice(0, 40)}" must be provider.model, such as deepgram.nova-2.`);
    const temperature = o.temperature ? Number(o.temperature) : undefined;
    if (temperature !== undefined && !(temperature >= 0 && temperature <= 1)) throw new Error('Temperature must be a number from 0 to 1.');
    const speakers = o.speakersExpected ? Number(o.speakersExpected) : undefined;
    if (speakers !== undefined && !(Number.isInteger(speakers) && speakers >= 1 && speakers <= 10)) {
      throw new Error('Speakers expected must be a whole number from 1 to 10.');
    }
    const params = {
      model: o.model,
      language: o.language || undefined,
      output_format: o.outputFormat,
      punctuation: String(o.punctuation),
      diarization: String(o.diarization),
      temperature: temperature?.toString(),
      initial_prompt: o.initialPrompt || undefined,
      speakers_expected: speakers?.toString(),
      custom_vocabulary: o.customVocabulary,
    };
    return connectionRequest(this.connectionSettings, params, 'api_key');
  }

  /** Nothing to send or wait for: audio may flow when the socket opens. */
  readonly open = readyOnOpen;

  /** A JSON result, or a plain-text chunk ("Speechall: server messages"). */
  receive(data: WireMessage): ProtocolStep {
    const read = readText(data);
    if (read.error) return step([read.error]);
    const trimmed = read.value.trim();
    if (trimmed.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(trimmed);
      } catch {
        parsed = undefined;
      }
      if (isObject(parsed)) return step(this.jsonResult(parsed));
      // A plain-text result may begin with a brace; a JSON one may not fail to parse.
      if (this.options.outputFormat !== 'text')
        return step([errorEvent('malformed-message', `The server sent a result that is not valid JSON: ${trimmed.slice(0, 80)}`)]);
    }
    return step(trimmed ? [{ type: 'final', text: trimmed }] : []);
  }

  /**
   * A JSON result. Read tolerantly: the streaming page names a word's text `text`, Speechall's
   * published schema `word`; both are read, with `speaker` where diarization gives one. A result with
   * `segments` (verbose output) becomes one final per segment, with its times, speaker and words.
   */
  private jsonResult(m: Readonly<Record<string, unknown>>): TranscriptEvent[] {
    if (typeof m.text !== 'string') {
      // Not a transcription: an error report in some shape, or something unknown. Show it; go on.
      const detail = isObject(m.error) ? m.error.message : (m.error ?? m.message);
      const message = typeof detail === 'string' ? detail : 'The server sent a JSON message without "text".';
      return [errorEvent(typeof detail === 'string' ? 'service-failed' : 'malformed-message', message)];
    }
    const words = Array.isArray(m.words) ? m.words.flatMap(speechallWord) : [];
    const language = typeof m.language === 'string' && m.language ? { language: m.language } : {};
    const segments = Array.isArray(m.segments)
      ? m.segments.filter((s): s is Record<string, unknown> => isObject(s) && typeof s.text === 'string' && s.text.trim() !== '')
      : [];
    if (segments.length > 0) {
      return segments.map((segment) => {
        const start = finite(segment.start) ? segment.start * 1000 : undefined;
        const end = finite(segment.end) ? segment.end * 1000 : undefined;
        const inside =
          start !== undefined && end !== undefined
            ? words.filter((w) => w.startMs !== undefined && w.startMs >= start && w.startMs < end)
            : [];
        return finalOf(String(segment.text).trim(), start, end, inside, { ...language, ...speakerOf(segment.speaker) });
      });
    }
    const text = m.text.trim();
    if (!text) return [];
    const start = finite(m.start) ? m.start * 1000 : words[0]?.startMs;
    const last = words.at(-1);
    const end = finite(m.end) ? m.end * 1000 : last?.startMs !== undefined ? last.startMs + (last.durationMs ?? 0) : undefined;
    return [finalOf(text, start, end, words, language)];
  }

  /**
   * Binary PCM16 in chunks of `chunkSamples` ("Speechall: audio"): frames are gathered until a chunk is
   * full. At most one chunk per frame, as long as a chunk is no smaller than a frame (320 samples).
   * @returns the chunk this frame completed, or null while it fills
   */
  encodeAudio(pcm: ArrayBuffer): WireMessage | null {
    const bytes = new Uint8Array(pcm);
    let out: ArrayBuffer | null = null;
    for (let at = 0; at < bytes.length;) {
      const n = Math.min(bytes.length - at, this.chunk.length - this.filled);
      this.chunk.set(bytes.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.chunk.length) {
        out = this.chunk.slice().buffer;
        this.filled = 0;
      }
    }
    return out;
  }

  /**
   * The audio still gathering, then trailing silence so the last utterance ends, in chunks (the last one
   * shorter); the quiet period then ends the stream.
   */
  finish(): ProtocolStep {
    if (this.phase !== 'streaming') return step();
    this.phase = 'finishing';
    const tail = new Uint8Array(this.filled + (SPEECHALL_TRAILING_SILENCE_MS / FRAME_MS) * FRAME_BYTES);
    tail.set(this.chunk.subarray(0, this.filled));
    this.filled = 0;
    const chunks: ArrayBuffer[] = [];
    for (let at = 0; at < tail.length; at += this.chunk.length) chunks.push(tail.slice(at, at + this.chunk.length).buffer);
    return step([], chunks);
  }

  /** Only a normal close (1000) after `finish()` ends the stream as planned. */
  describeClose(code: number, reason: string): ProtocolError | null {
    return code === 1000 && this.phase === 'finishing' ? null : unexpectedClose(code, reason);
  }
}

/** A word of a JSON result (`text` or `word`), or nothing when it has neither. */
function speechallWord(w: unknown): Word[] {
  if (!isObject(w)) return [];
  const text = typeof w.text === 'string' ? w.text : typeof w.word === 'string' ? w.word : undefined;
  if (text === undefined) return [];
  return [
    {
      text,
      ...(finite(w.start) ? { startMs: Math.round(w.start * 1000) } : {}),
      ...(finite(w.start) && finite(w.end) ? { durationMs: Math.round((w.end - w.start) * 1000) } : {}),
      ...(finite(w.confidence) ? { confidence: probability(w.confidence) } : {}),
      ...speakerOf(w.speaker),
    },
  ];
}

/** `{speaker}` when the service names one (a string or a number). */
function speakerOf(value: unknown): { speaker?: string } {
  return typeof value === 'string' || typeof value === 'number' ? { speaker: String(value) } : {};
}

/** A final event from text, start and end (ms) and words. */
function finalOf(
  text: string,
  start: number | undefined,
  end: number | undefined,
  words: Word[],
  extra: { language?: string; speaker?: string },
): TranscriptEvent {
  return {
    type: 'final',
    text,
    ...extra,
    ...(start !== undefined ? { startMs: Math.round(start) } : {}),
    ...(start !== undefined && end !== undefined ? { durationMs: Math.round(end - start) } : {}),
    ...(words.length ? { words } : {}),
  };
}

/**
 * The Speechall streaming protocol for one session, from the user's options (see speechallService in `speechall-service.ts`).
 * @throws Error with a user-facing sentence when the options cannot form a valid connection.
 */
export function createSpeechall(connection: ConnectionSettings, options: OptionValues, vocabulary?: VocabularyRequest): StreamingProtocol {
  const format = textOption(options, 'outputFormat');
  const own = textOption(options, 'customVocabulary')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  // "Speechall: query parameters": custom_vocabulary is a list (one parameter per term); OpenAI models
  // are prompted, so they also get the terms in initial_prompt.
  const sent = vocabulary ? planVocabulary(vocabulary.terms, vocabulary.local, SPEECHALL_BUDGET).sent : [];
  const words = [...own, ...sent.filter((t) => !own.some((o) => o.toLowerCase() === t.toLowerCase()))];
  const prompted = textOption(options, 'model').startsWith('openai.');
  return new SpeechallProtocol(connection, {
    model: textOption(options, 'model'),
    language: textOption(options, 'language'),
    outputFormat: format === 'text' || format === 'verbose_json' ? format : 'json',
    punctuation: flagOption(options, 'punctuation', true),
    diarization: flagOption(options, 'diarization'),
    temperature: textOption(options, 'temperature'),
    initialPrompt: prompted ? joinPrompt(textOption(options, 'initialPrompt'), sent) : textOption(options, 'initialPrompt'),
    speakersExpected: textOption(options, 'speakersExpected'),
    customVocabulary: words,
    chunkSamples: SPEECHALL_CHUNK_CHOICES.find((n) => String(n) === textOption(options, 'chunkSamples')) ?? SPEECHALL_CHUNK_SAMPLES,
  });
}
