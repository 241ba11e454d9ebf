/**
 * Short-lived tokens, so a page need not hold the API key (docs/protocols.md, "The local server").
 *
 * `dt1.<payload>.<signature>`: the payload is `<expiry ms>.<nonce>` (base64url), the signature an
 * HMAC-SHA256 of it under a key derived from `DICTATE_API_KEY`. Any replica that knows the API key
 * verifies any replica's tokens without shared state. A token is valid for 60 s and for one
 * connection: each replica remembers the nonces it has accepted until they expire.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a token is valid, s. */
export const TOKEN_TTL_S = 60;
const PREFIX = 'dt1';

const signingKey = (apiKey: string) => createHmac('sha256', apiKey).update('dictate-token-v1').digest();
const sign = (apiKey: string, payload: string) => createHmac('sha256', signingKey(apiKey)).update(payload).digest('base64url');

/** A new token for `apiKey`. */
export function issueToken(apiKey: string, now = Date.now()): { token: string; expires_in: number } {
  const payload = Buffer.from(`${now + TOKEN_TTL_S * 1000}.${randomBytes(12).toString('base64url')}`).toString('base64url');
  return { token: `${PREFIX}.${payload}.${sign(apiKey, payload)}`, expires_in: TOKEN_TTL_S };
}

/** Nonces already used, with their expiry, for one replica. */
export class TokenLedger {
  private readonly used = new Map<string, number>();

  /**
   * Accepts `token` once if it is signed with `apiKey` and not expired.
   * @returns true the first time a valid token is presented, false otherwise
   */
  accept(apiKey: string, token: string, now = Date.now()): boolean {
    const [prefix, payload, signature, extra] = token.split('.');
    if (prefix !== PREFIX || !payload || !signature || extra !== undefined) return false;
    const expected = Buffer.from(sign(apiKey, payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    const [expiry, nonce] = Buffer.from(payload, 'base64url').toString().split('.');
    const expiresAt = Number(expiry);
    if (!Number.isFinite(expiresAt) || expiresAt <= now || !nonce) return false;
    for (const [n, t] of this.used) if (t <= now) this.used.delete(n);
    if (this.used.has(nonce)) return false;
    this.used.set(nonce, expiresAt);
    return true;
  }
}
