/**
 * HTTP policy of the local server: parsing a request's URL without throwing, the headers every
 * response carries, and which origins and hosts may use it (docs/protocols.md, "The local server").
 */
import type { IncomingMessage } from 'node:http';

/**
 * The request's URL, or null when it cannot be parsed (an absolute-form target such as
 * `http://a:99999/ws` makes `new URL` throw). Only its path and query are meaningful.
 */
export function requestUrl(request: Pick<IncomingMessage, 'url'>): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

/**
 * Headers on every response. The CSP stops injected scripts and framing; `connect-src` stays open
 * (`ws: wss: https:`) because people point Dictate at endpoints and token URLs of their choosing.
 * `'wasm-unsafe-eval'` lets the page compile WebAssembly (the speexdsp resampler), not evaluate JavaScript.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ws: wss: https:; media-src 'self' blob:; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Who may use the server. */
export interface AccessPolicy {
  /** Extra origins allowed to open WebSockets (`DICTATE_ALLOWED_ORIGINS`); `*` allows any. */
  readonly allowedOrigins?: readonly string[];
  /**
   * Host names a request's `Host` header may carry (checked when the server is bound to loopback:
   * this defeats DNS rebinding); undefined: any.
   */
  readonly allowedHosts?: readonly string[];
}

/** The host names a loopback-bound server answers to, plus the configured one. */
export function loopbackHosts(configured?: string): string[] {
  return [...new Set(['localhost', '127.0.0.1', '[::1]', ...(configured ? [configured.toLowerCase()] : [])])];
}

/** True for a loopback interface name or address. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The `Host` header's host name (without port), lower case; '' when absent. */
function hostName(request: IncomingMessage): string {
  const host = (request.headers.host ?? '').toLowerCase();
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(host);
  return match ? match[1] : '';
}

/**
 * Why a request may not be served, or null. `Host` must be an allowed host name (when the policy
 * names them). A WebSocket upgrade's `Origin`, when present (browsers always send one), must be the
 * server's own (same host and port as `Host`) or an allowed origin.
 */
export function refusal(request: IncomingMessage, policy: AccessPolicy, upgrade: boolean): string | null {
  if (policy.allowedHosts && !policy.allowedHosts.includes(hostName(request))) {
    return `Host "${(request.headers.host ?? '').slice(0, 80)}" is not served here.`;
  }
  if (!upgrade) return null;
  const origin = request.headers.origin;
  if (origin === undefined) return null; // a CLI or a test; browsers always send one
  const allowed = policy.allowedOrigins ?? [];
  if (allowed.includes('*') || allowed.includes(origin)) return null;
  let own = false;
  try {
    own = new URL(origin).host === (request.headers.host ?? '').toLowerCase();
  } catch {
    own = false;
  }
  return own ? null : `Origin "${origin.slice(0, 80)}" may not use this server; add it to DICTATE_ALLOWED_ORIGINS to allow it.`;
}
