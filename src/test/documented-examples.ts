/** Message examples from docs/protocols.md, shared by the adapter and component tests. */

/** "Reson8: server messages": the transcript example with every include_ flag on. */
export const RESON8_TRANSCRIPT_EXAMPLE = {
  type: 'transcript',
  text: 'the patient presented with chest pain',
  is_final: true,
  start_ms: 1200,
  duration_ms: 2400,
  words: [
    { text: 'the', start_ms: 1200, duration_ms: 200, confidence: 0.99 },
    { text: 'patient', start_ms: 1410, duration_ms: 450, confidence: 0.98 },
    { text: 'presented', start_ms: 1880, duration_ms: 500, confidence: 0.97 },
    { text: 'with', start_ms: 2400, duration_ms: 200, confidence: 0.99 },
    { text: 'chest', start_ms: 2620, duration_ms: 350, confidence: 0.96 },
    { text: 'pain', start_ms: 3000, duration_ms: 600, confidence: 0.97 },
  ],
};
