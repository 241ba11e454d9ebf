/**
 * The input matrix: real speech after what real microphones and shared servers put before it (a noise
 * floor, dither, a long pause, another user's session on the same pooled decoder, a quiet speaker), each
 * decoded and compared with the clean run of the same speech on a fresh decoder.
 *
 * Used by `engine/input-matrix.test.ts` (every case must give the clean run's words, within one word) and by
 * `npm run bench -- --only matrix` (the WER of each case). Test and bench support: the server never
 * imports it.
 */
import { join } from 'node:path';
import { FIXTURES_DIR, referenceFor } from '../e2e/support/fixtures';
import { readWav } from '../e2e/support/wav';
import { wordEdits, wordErrorRate } from '../e2e/support/wer';
import { ENGINE_SAMPLE_RATE, type RecognizerEvents, type RecognizerOptions, type SpeechEngine, type Utterance } from './engine/engine';

/** What fills the time before (and after) the speech. */
export type Filler = 'zeros' | 'dither' | 'white-70';

/** One case: sessions decoded on one decoder in turn; the last one's words are judged. */
export interface MatrixCase {
  /** What the case is, as the bench prints it, e.g. "3 s of dither before". */
  readonly name: string;
  readonly group: 'lead' | 'pause' | 'pooled' | 'quiet';
  /** Sessions decoded before the judged one, on the same pooled decoder (their words are not judged). */
  readonly before: readonly Int16Array[];
  /** The judged session's audio, in order. */
  readonly audio: readonly Int16Array[];
  /** The fixtures it speaks, in order: the clean run and the reference are theirs. */
  readonly clips: readonly string[];
}

/** The fixture the lead, pooled and quiet cases speak. */
export const MATRIX_CLIP = 'sense_and_sensibility_01_austen_64kb-0920.wav';
const FIRST_SENTENCE = 'sense_and_sensibility_01_austen_64kb-0880.wav';
const OTHER_SENTENCE = 'sense_and_sensibility_01_austen_64kb-0930.wav';

export const clip = (name: string): Int16Array => readWav(join(FIXTURES_DIR, name)).samples;
const samplesFor = (seconds: number) => Math.round(seconds * ENGINE_SAMPLE_RATE);

/** A seeded generator (mulberry32): the same noise on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Seconds of a filler: exact digital zeros; ±1 LSB dither (each sample −1, 0 or +1, about −90 dBFS);
 * or Gaussian white noise at −70 dBFS RMS (a quiet room through a real microphone).
 */
export function filler(kind: Filler, seconds: number, seed = 1): Int16Array {
  const out = new Int16Array(samplesFor(seconds));
  const next = random(seed);
  if (kind === 'dither') for (let i = 0; i < out.length; i++) out[i] = Math.floor(next() * 3) - 1;
  if (kind === 'white-70') {
    const rms = 32768 * 10 ** (-70 / 20);
    for (let i = 0; i < out.length; i++) {
      const gaussian = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      out[i] = Math.round(gaussian * rms);
    }
  }
  return out;
}

/** A sine at `hz`, `dbfs` peak: a microphone test, a fake device, mains hum. */
export function tone(hz: number, seconds: number, dbfs = -12): Int16Array {
  const out = new Int16Array(samplesFor(seconds));
  const peak = 32767 * 10 ** (dbfs / 20);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(peak * Math.sin((2 * Math.PI * hz * i) / ENGINE_SAMPLE_RATE));
  return out;
}

/** The samples scaled by `db` (negative: quieter). */
export function gain(samples: Int16Array, db: number): Int16Array {
  const k = 10 ** (db / 20);
  return Int16Array.from(samples, (s) => Math.round(s * k));
}

/** Every case of the matrix (issue 16's list). */
export function inputMatrix(): MatrixCase[] {
  const speech = clip(MATRIX_CLIP);
  const cases: MatrixCase[] = [];
  for (const kind of ['zeros', 'dither', 'white-70'] as const)
    for (const seconds of [0, 1, 3, 10, 30])
      cases.push({
        name: `${seconds} s of ${kind} before`,
        group: 'lead',
        before: [],
        // The same floor goes on after the speech, as it does on a real microphone.
        audio: [filler(kind, seconds, 1), speech, filler(kind, 1, 2)],
        clips: [MATRIX_CLIP],
      });
  for (const kind of ['zeros', 'white-70'] as const)
    cases.push({
      name: `20 s of ${kind} between two sentences`,
      group: 'pause',
      before: [],
      audio: [filler(kind, 1, 3), clip(FIRST_SENTENCE), filler(kind, 20, 4), speech, filler(kind, 1, 5)],
      clips: [FIRST_SENTENCE, MATRIX_CLIP],
    });
  const previous: [string, Int16Array][] = [
    ['11 s of a 1 kHz tone', tone(1000, 11)],
    ['11 s of −30 dBFS white noise', gain(filler('white-70', 11, 6), 40)],
    ['11 s of silence', filler('zeros', 11)],
    ['other speech', Int16Array.from([...clip(FIRST_SENTENCE), ...filler('zeros', 1), ...clip(OTHER_SENTENCE)])],
  ];
  for (const [what, audio] of previous)
    cases.push({
      name: `after a session of ${what} on the same decoder`,
      group: 'pooled',
      before: [audio],
      audio: [speech, filler('zeros', 1)],
      clips: [MATRIX_CLIP],
    });
  cases.push({
    name: 'speech 20 dB quieter',
    group: 'quiet',
    before: [],
    audio: [gain(speech, -20), filler('zeros', 1)],
    clips: [MATRIX_CLIP],
  });
  cases.push({
    name: 'speech 20 dB quieter after 3 s of dither',
    group: 'quiet',
    before: [],
    audio: [filler('dither', 3, 7), gain(speech, -20), filler('dither', 1, 8)],
    clips: [MATRIX_CLIP],
  });
  return cases;
}

/**
 * Recognizer events that collect finals and back-pressure changes, and keep failures for the caller to
 * throw (throwing in `error` would escape from a native callback).
 */
export function collector() {
  const finals: Utterance[] = [];
  const pressure: boolean[] = [];
  const failures: Error[] = [];
  const events: RecognizerEvents = {
    speechStarted() {},
    partial() {},
    final: (u) => finals.push(u),
    speechStopped() {},
    backpressure: (paused) => pressure.push(paused),
    error: (e) => failures.push(e),
  };
  return { events, finals, pressure, failures };
}

/** The finals' words of one session, decoded on a recognizer the engine opens. */
export async function decodeSession(engine: SpeechEngine, audio: readonly Int16Array[], options?: RecognizerOptions): Promise<string> {
  const { events, finals, failures } = collector();
  const recognizer = await engine.open(events, options);
  for (const part of audio) recognizer.write(part);
  await recognizer.finish();
  await recognizer.close();
  if (failures.length > 0) throw failures[0];
  return finals
    .map((u) => u.text)
    .filter(Boolean)
    .join(' ');
}

/** What one case gave. */
export interface MatrixResult {
  readonly name: string;
  readonly group: MatrixCase['group'];
  readonly text: string;
  /** The clean run: each clip alone on a fresh decoder, joined. */
  readonly clean: string;
  /** WER against the fixtures' reference transcripts. */
  readonly wer: number;
  /** WER of the clean run against the same reference. */
  readonly cleanWer: number;
  /** Word errors against the reference (substitutions + deletions + insertions). */
  readonly errors: number;
  /** The clean run's word errors against the reference. */
  readonly cleanErrors: number;
  /** Words by which the case differs from the clean run. */
  readonly wordsFromClean: number;
}

/**
 * Runs one case. `fresh` opens a recognizer on a newly loaded decoder for the clean run; `pooled`
 * must be an engine whose pool keeps one decoder, so that `before` sessions and the judged one share it.
 */
export async function runCase(
  kase: MatrixCase,
  engines: { fresh: () => SpeechEngine; pooled: () => SpeechEngine },
  cleanRuns: Map<string, string>,
): Promise<MatrixResult> {
  const clean: string[] = [];
  for (const name of kase.clips) {
    if (!cleanRuns.has(name)) cleanRuns.set(name, await decodeSession(engines.fresh(), [clip(name), filler('zeros', 1)]));
    clean.push(cleanRuns.get(name) as string);
  }
  const engine = engines.pooled();
  for (const session of kase.before) await decodeSession(engine, [session]);
  const text = await decodeSession(engine, kase.audio);
  const reference = kase.clips.map((name) => referenceFor(name)).join(' ');
  const cleanText = clean.join(' ');
  return {
    name: kase.name,
    group: kase.group,
    text,
    clean: cleanText,
    wer: wordErrorRate(reference, text),
    cleanWer: wordErrorRate(reference, cleanText),
    errors: wordEdits(reference, text),
    cleanErrors: wordEdits(reference, cleanText),
    wordsFromClean: wordEdits(cleanText, text),
  };
}
