/**
 * Fetches a short-lived token from the user's own backend (a provider's "Token URL"): `POST`, with the
 * page's cookies, answering JSON `{token}` (or `{access_token}`). docs/protocols.md, "The local server".
 */

/**
 * @returns the token
 * @throws Error when the backend does not answer 2xx with a token (the message names the host only)
 */
export async function fetchToken(url: string): Promise<string> {
  const host = new URL(url).host;
  const response = await fetch(url, { method: 'POST', credentials: 'include', cache: 'no-store', signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${host} answered ${response.status}.`);
  const body: unknown = await response.json().catch(() => null);
  const token =
    typeof body === 'object' && body !== null
      ? ((body as { token?: unknown }).token ?? (body as { access_token?: unknown }).access_token)
      : undefined;
  if (typeof token !== 'string' || token === '') throw new Error(`${host} answered without a token.`);
  return token;
}
