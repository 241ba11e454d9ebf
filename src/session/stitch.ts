/**
 * Stitching after a reconnect. The session replays one utterance of context before the audio that
 * has no final yet, so the new connection's recognizer hears what it heard before. It then says some
 * of the same words again; these are dropped, so final text is never shown twice.
 */
import type { FinalResult } from '../core/events';

/** Words as compared across connections: lower case, without punctuation. */
export function comparable(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** How many leading words of `next` repeat the last words of `shown`: the longest such overlap, at most `max`. */
export function overlap(shown: readonly string[], next: readonly string[], max = 40): number {
  for (let k = Math.min(max, shown.length, next.length); k > 0; k--) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = shown[shown.length - k + i] === next[i];
    if (same) return k;
  }
  return 0;
}

/** The final without its first `k` words (its word detail too, where it lines up with the text). */
export function withoutLeadingWords(final: FinalResult, k: number): FinalResult {
  const tokens = final.text.trim().split(/\s+/);
  const text = tokens.slice(k).join(' ');
  const aligned = final.words && final.words.length === tokens.length;
  const words = aligned ? final.words?.slice(k) : undefined;
  const first = words?.[0];
  const start = first?.startMs;
  const end = final.startMs !== undefined ? final.startMs + (final.durationMs ?? 0) : undefined;
  return {
    type: 'final',
    text,
    ...(final.language ? { language: final.language } : {}),
    ...(final.speaker ? { speaker: final.speaker } : {}),
    ...(start !== undefined ? { startMs: start, ...(end !== undefined ? { durationMs: end - start } : {}) } : {}),
    ...(words?.length ? { words } : {}),
  };
}
