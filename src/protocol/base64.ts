/** Base64 for binary audio, with the platform's `btoa` (browsers, workers and Node ≥ 16). */

/** Encodes bytes as standard base64 (RFC 4648 §4, with padding). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x2000; // keeps String.fromCharCode's argument list small
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk) as unknown as number[]);
  }
  return btoa(binary);
}
