/**
 * Asks the local engine behind a WebSocket endpoint whether it is running: `GET /healthz` on the same
 * host (docs/protocols.md, "The local server"). A cross-origin engine answers opaquely, which still
 * tells a running server from none.
 */

/** @returns true when something answers at the endpoint's host, false when nothing does (within 3 s) */
export async function probeLocalEngine(endpoint: string): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  const health = `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}/healthz`;
  try {
    await fetch(health, { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}
