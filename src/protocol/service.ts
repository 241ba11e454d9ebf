/**
 * What the app knows about a streaming speech-to-text service: its settings (as data, so the
 * settings form renders any service) and how to build its protocol. Each protocol module exports one
 * {@link ServiceDefinition}; `registry.ts` lists them. Pure: no browser or React imports.
 */
import type { VocabularyTerm } from '../core/vocabulary';
import type { AuthMethod, ConnectionRequest, StreamingProtocol } from './adapter';

/** A value of a service option. */
export type OptionValue = string | boolean;
/** A service's options by key. */
export type OptionValues = Readonly<Record<string, OptionValue>>;

interface FieldBase {
  /** Key in {@link OptionValues}. */
  readonly key: string;
  /** Visible label (the control's accessible name). */
  readonly label: string;
  /** One sentence shown under the control. */
  readonly hint?: string;
}

/** One setting of a service, as the settings form shows it. */
export type OptionField =
  | (FieldBase & { readonly kind: 'text'; readonly placeholder?: string; readonly suggestions?: readonly string[] })
  | (FieldBase & {
      readonly kind: 'select';
      readonly choices: readonly { readonly value: string; readonly label: string; readonly group?: string }[];
    })
  | (FieldBase & { readonly kind: 'checkbox' });

/** Where and how to connect. */
export interface ConnectionSettings {
  /** `ws:` / `wss:` endpoint, already resolved. */
  readonly url: string;
  readonly auth: AuthMethod;
  /** API key or token ('' for none). Never log or display it. */
  readonly key: string;
}

/** A streaming speech-to-text service Dictate speaks. */
export interface ServiceDefinition {
  /** Stable id, e.g. `reson8` (storage keys and the picker's values use it). */
  readonly id: string;
  /** Short name, e.g. `Reson8`. */
  readonly name: string;
  /** Product name for the provider picker, e.g. `Reson8 realtime`. */
  readonly product: string;
  /** The service's public endpoint. */
  readonly cloudUrl: string;
  /** The path the local server serves this dialect at, e.g. `/v1/speech-to-text/realtime`. */
  readonly localPath: string;
  /** Auth methods a browser can use with the service, preferred first. */
  readonly authMethods: readonly AuthMethod[];
  /** What the credential is called in this service's documents: `API key` or `Access token`. */
  readonly keyLabel: string;
  /** One or two sentences for Settings: what the cloud service is, its accuracy class, what it needs. */
  readonly summary: string;
  /** Option values on first use. */
  defaults(local: boolean): OptionValues;
  /**
   * Loads the protocol adapter (a separate chunk) and returns how to make one for a session.
   * The factory throws Error with a user-facing sentence when the options cannot form a valid connection.
   */
  load(): Promise<ProtocolFactory>;
}

/** The user's vocabulary for one connection, and whether the receiver reads "sounds like" hints. */
export interface VocabularyRequest {
  readonly terms: readonly VocabularyTerm[];
  /** True for the local engine. */
  readonly local: boolean;
}

/** Makes the protocol for one session from its connection, the user's options and vocabulary. */
export type ProtocolFactory = (connection: ConnectionSettings, options: OptionValues, vocabulary?: VocabularyRequest) => StreamingProtocol;

/** An option as text ('' when absent or not text). */
export function textOption(options: OptionValues, key: string): string {
  const v = options[key];
  return typeof v === 'string' ? v.trim() : '';
}

/** An option as a boolean (`fallback` when absent). */
export function flagOption(options: OptionValues, key: string, fallback = false): boolean {
  const v = options[key];
  return typeof v === 'boolean' ? v : fallback;
}

/** RFC 6455 / RFC 7230 token characters: what a `Sec-WebSocket-Protocol` value may hold. */
const SUBPROTOCOL_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Query parameters to add: a list is sent as repeated parameters, undefined is left out. */
export type QueryParams = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The URL and subprotocols for a connection: validates the scheme, adds the query parameters and
 * applies query or subprotocol auth (`bearer, <token>`).
 * @param keyParameter name of the query parameter that carries the key for `query` auth; omit it
 *   for a service that takes no key in the URL
 * @throws Error with a user-facing sentence for a bad URL, a missing key, or a key the header cannot carry
 */
export function connectionRequest(connection: ConnectionSettings, params: QueryParams = {}, keyParameter?: string): ConnectionRequest {
  let url: URL;
  try {
    url = new URL(connection.url);
  } catch {
    throw new Error(`"${connection.url.slice(0, 80)}" is not a valid URL.`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new Error(`The endpoint URL must start with ws:// or wss:// (got ${url.protocol}//).`);
  }
  const key = connection.key.trim();
  if (connection.auth !== 'none' && key === '') throw new Error('This auth method needs a key, and none is set.');
  const protocols: string[] = [];
  if (connection.auth === 'query') {
    if (!keyParameter) throw new Error('This service does not take a key in the URL; choose another auth method.');
    url.searchParams.set(keyParameter, key);
  }
  if (connection.auth === 'subprotocol') {
    if (!SUBPROTOCOL_TOKEN.test(key)) {
      throw new Error(
        'This key has characters that cannot travel in the Sec-WebSocket-Protocol header; check it or choose another auth method.',
      );
    }
    protocols.push('bearer', key);
  }
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string') url.searchParams.set(name, value);
    else for (const v of value ?? []) url.searchParams.append(name, v);
  }
  return { url: url.toString(), protocols };
}

/** A select field from `[value, label]` pairs. */
export function selectField(key: string, label: string, choices: readonly (readonly [string, string])[], hint?: string): OptionField {
  return {
    key,
    label,
    kind: 'select',
    choices: choices.map(([value, choiceLabel]) => ({ value, label: choiceLabel })),
    ...(hint ? { hint } : {}),
  };
}
