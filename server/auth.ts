/**
 * Credentials on a WebSocket upgrade, as the services allow them to be sent (docs/protocols.md):
 * `Authorization: Bearer <key>` (docs/protocols.md, "VoiceRun: authentication"), query `api_key` or `token`,
 * and `Sec-WebSocket-Protocol: bearer, <token>`. First-message auth is checked by the protocol
 * handler with {@link keyMatches}.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { requestUrl } from './http';
import type { TokenLedger } from './tokens';

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

/** Where a dialect accepts a credential on the handshake. */
export interface CredentialSources {
  /** `Authorization: Bearer <key>` (and `ApiKey <key>` where the dialect documents it). */
  readonly header: readonly ('Bearer' | 'ApiKey')[];
  /** Query parameters that may carry the key, in order of preference. */
  readonly query: readonly string[];
  /** `Sec-WebSocket-Protocol: bearer, <token>`. */
  readonly subprotocol: boolean;
}

/** VoiceRun: Bearer header (overview), query `api_key` / `token`, subprotocol (browser clients). */
export const VOICERUN_CREDENTIALS: CredentialSources = { header: ['Bearer'], query: ['api_key', 'token'], subprotocol: true };

/** The credential presented on the handshake through one of `sources`, if any. */
export function presentedKey(request: IncomingMessage, sources: CredentialSources = VOICERUN_CREDENTIALS): string | null {
  const url = requestUrl(request);
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^(\S+)\s+(.+)$/.exec(authorization.trim());
    if (match && sources.header.some((scheme) => scheme.toLowerCase() === match[1].toLowerCase())) return match[2].trim();
  }
  for (const name of sources.query) {
    const value = url?.searchParams.get(name);
    if (value) return value;
  }
  if (sources.subprotocol) {
    const protocols = offeredSubprotocols(request);
    const bearer = protocols.findIndex((p) => p.toLowerCase() === 'bearer');
    if (bearer >= 0 && protocols[bearer + 1]) return protocols[bearer + 1];
  }
  return null;
}

/** True when `presented` is the configured key, or a valid token for it (which is then used up). */
export function credentialValid(presented: string, apiKey: string, tokens?: TokenLedger): boolean {
  return keyMatches(presented, apiKey) || (tokens?.accept(apiKey, presented) ?? false);
}

/** Checks the handshake against the configured key or a token for it (`undefined` key: none needed). */
export function checkHandshake(
  request: IncomingMessage,
  apiKey: string | undefined,
  sources: CredentialSources = VOICERUN_CREDENTIALS,
  tokens?: TokenLedger,
): HandshakeAuth {
  if (!apiKey) return 'accepted';
  const key = presentedKey(request, sources);
  if (key === null) return 'missing';
  return credentialValid(key, apiKey, tokens) ? 'accepted' : 'rejected';
}

/**
 * Chooses the subprotocol to answer with: `bearer` when offered (never the token itself, which
 * would echo the secret), else none.
 */
export function selectSubprotocol(protocols: Set<string>): string | false {
  for (const p of protocols) if (p.toLowerCase() === 'bearer') return p;
  return false;
}
