/**
 * Connection settings and how they become a protocol instance. Pure: the page location is passed in.
 */
import type { AuthMethod, StreamingProtocol } from '../protocol/adapter';
import { VoiceRunProtocol } from '../protocol/voicerun';

/** What the user configures. */
export interface Settings {
  /** WebSocket endpoint; empty means the local engine on the page's own origin (`/ws`). */
  readonly serverUrl: string;
  readonly authMethod: AuthMethod;
  /** API key or token. Kept in memory only (never persisted, logged or shown). */
  readonly apiKey: string;
  /** VoiceRun `session.provider`. */
  readonly provider: string;
  /** VoiceRun `session.model`. */
  readonly model: string;
  /** BCP-47 language code, or `multi`. */
  readonly language: string;
  /** Keywords or context for the recognizer. */
  readonly prompt: string;
}

/** Provider and model of the local PocketSphinx engine (server/). */
export const LOCAL_PROVIDER = 'LOCAL';
export const LOCAL_MODEL = 'pocketsphinx-en-us';

/** First-visit settings: the local engine, no key. */
export const DEFAULT_SETTINGS: Settings = {
  serverUrl: '',
  authMethod: 'none',
  apiKey: '',
  provider: LOCAL_PROVIDER,
  model: LOCAL_MODEL,
  language: 'en',
  prompt: '',
};

const AUTH_METHODS: readonly AuthMethod[] = ['none', 'query', 'subprotocol', 'first-message'];

/**
 * Settings from untrusted storage: known string fields only, the auth method checked, the key
 * never restored. Anything else falls back to the defaults.
 */
export function sanitizeSettings(raw: unknown): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (key: keyof Settings) => (typeof r[key] === 'string' ? (r[key] as string) : DEFAULT_SETTINGS[key]);
  return {
    serverUrl: text('serverUrl'),
    authMethod: AUTH_METHODS.includes(r.authMethod as AuthMethod) ? (r.authMethod as AuthMethod) : DEFAULT_SETTINGS.authMethod,
    apiKey: '',
    provider: text('provider'),
    model: text('model'),
    language: text('language'),
    prompt: text('prompt'),
  };
}

/** The part of `window.location` needed to find the local engine. */
export interface PageLocation {
  readonly protocol: string;
  readonly host: string;
}

/** The endpoint URL to use: the configured one, or `ws(s)://<page host>/ws`. */
export function resolveServerUrl(settings: Settings, page: PageLocation): string {
  const configured = settings.serverUrl.trim();
  if (configured) return configured;
  return `${page.protocol === 'https:' ? 'wss' : 'ws'}://${page.host}/ws`;
}

/** A name for the endpoint that is safe to show: its host, never its query (which may hold a key). */
export function serverLabel(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return 'the transcription server';
  }
}

/** Builds the protocol for these settings. */
export function createProtocol(settings: Settings, page: PageLocation): StreamingProtocol {
  return new VoiceRunProtocol({
    url: resolveServerUrl(settings, page),
    auth: settings.authMethod,
    apiKey: settings.apiKey,
    model: settings.model.trim(),
    provider: settings.provider.trim(),
    language: settings.language,
    prompt: settings.prompt,
  });
}
