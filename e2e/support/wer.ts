/** Word error rate, for comparing transcripts with a reference: the app's own scoring (docs/metrics.md, "WER"). */
export { scoringWords as words, wordEdits, wordErrorRate } from '../../src/transcript/align';
