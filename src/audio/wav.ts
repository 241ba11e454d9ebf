/** WAV files (RIFF, PCM16 mono), for playback and export of kept audio (docs/protocols.md, "Keeping audio"). */

/** Size of the RIFF/WAVE header this writes, bytes. */
export const WAV_HEADER_BYTES = 44;

/**
 * A WAV file of PCM16 mono samples.
 * @param samples - PCM16 samples
 * @param sampleRate - Hz
 */
export function wavFile(samples: Int16Array, sampleRate: number): Blob {
  const header = new DataView(new ArrayBuffer(WAV_HEADER_BYTES));
  const text = (at: number, s: string) => [...s].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
  const dataBytes = samples.length * 2;
  text(0, 'RIFF');
  header.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  header.setUint32(16, 16, true); // fmt chunk size
  header.setUint16(20, 1, true); // PCM
  header.setUint16(22, 1, true); // mono
  header.setUint32(24, sampleRate, true);
  header.setUint32(28, sampleRate * 2, true); // bytes per second
  header.setUint16(32, 2, true); // block align
  header.setUint16(34, 16, true); // bits per sample
  text(36, 'data');
  header.setUint32(40, dataBytes, true);
  return new Blob([header.buffer, samples.slice().buffer], { type: 'audio/wav' });
}
