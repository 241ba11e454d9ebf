/**
 * Credentials on a WebSocket upgrade, as the seeds allow them to be sent:
 * `Authorization: Bearer <key>` (VoiceRun overview: "Authentication"), query `api_key` or `token`,
 * and `Sec-WebSocket-Protocol: bearer, <token>`. First-message auth is checked by the protocol
 * handler with {@link keyMatches}.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Result of checking an upgrade request. */
export type HandshakeAuth =
  /** No key is configured, or a correct one was presented. */
  | 'accepted'
  /** A key was presented and it is wrong. */
  | 'rejected'
  /** No key was presented (first-message auth may still follow). */
  | 'missing';

/** Constant-time comparison of a presented key with the configured one. */
export function keyMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Values of `Sec-WebSocket-Protocol`, in order. */
export function offeredSubprotocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (!header) return [];
  return String(header)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The credential presented on the handshake, if any. */
export function presentedKey(request: IncomingMessage): string | null {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^(?:Bearer|ApiKey)\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1].trim();
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  const query = url.searchParams.get('api_key') ?? url.searchParams.get('token');
  if (query) return query;
  const protocols = offeredSubprotocols(request);
  const bearer = protocols.findIndex((p) => p.toLowerCase() === 'bearer');
  if (bearer >= 0 && protocols[bearer + 1]) return protocols[bearer + 1];
  return null;
}

/** Checks the handshake against the configured key (`undefined`: no key needed). */
export function checkHandshake(request: IncomingMessage, apiKey: string | undefined): HandshakeAuth {
  if (!apiKey) return 'accepted';
  const key = presentedKey(request);
  if (key === null) return 'missing';
  return keyMatches(key, apiKey) ? 'accepted' : 'rejected';
}

/**
 * Chooses the subprotocol to answer with: `bearer` when offered (never the token itself, which
 * would echo the secret), else none.
 */
export function selectSubprotocol(protocols: Set<string>): string | false {
  for (const p of protocols) if (p.toLowerCase() === 'bearer') return p;
  return false;
}
