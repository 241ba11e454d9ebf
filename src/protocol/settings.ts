/**
 * Connection settings, per provider: what the user set, read back tolerantly from what any version
 * saved, and the endpoint they name. Pure: the page location is passed in. (A session turns them into a
 * protocol with `session/protocol-factory.ts`.)
 */
import { DEFAULT_MICROPHONE, type MicrophoneOptions } from '../core/microphone';
import type { VocabularyTerm } from '../core/vocabulary';
import type { AuthMethod } from './adapter';
import { DEFAULT_PROVIDER_ID, PROVIDERS, providerEntry, type ProviderEntry } from './registry';
import type { OptionValue, OptionValues } from './service';

/** What the user set for one provider entry (never the key: see the credentials store). */
export interface ProviderProfile {
  /** WebSocket endpoint; for a local entry, empty means this page's server. */
  readonly url: string;
  readonly auth: AuthMethod;
  /**
   * Where to get a short-lived token before each connection (the user's own backend, answering
   * `{token}`); empty: use the stored key. Optional in what older versions saved.
   */
  readonly tokenUrl?: string;
  /** The service's own options (see its `fields()`). */
  readonly options: OptionValues;
  /**
   * Turn spoken "period", "comma", "question mark", "new line" and "new paragraph" into text (default:
   * on for the local engine, which writes no punctuation). Optional in what older versions saved.
   */
  readonly spokenCommands?: boolean;
}

/** What the user configures: the chosen provider, a profile for each provider they touched, the microphone. */
export interface Settings {
  /** A {@link ProviderEntry} id, e.g. `local-reson8`. */
  readonly provider: string;
  readonly profiles: Readonly<Record<string, ProviderProfile>>;
  /** Which microphone and its processing; optional in what older versions saved (the default, unprocessed). */
  readonly microphone?: MicrophoneOptions;
}

/** First-visit settings: the local engine (VoiceRun dialect). */
export const DEFAULT_SETTINGS: Settings = { provider: DEFAULT_PROVIDER_ID, profiles: {} };

/** Everything one session needs. */
export interface SessionSettings {
  readonly provider: string;
  readonly profile: ProviderProfile;
  /** Key or token for this provider ('' for none). Never log or display it. */
  readonly apiKey: string;
  /** The microphone to record from (default: the system's, unprocessed). */
  readonly microphone?: MicrophoneOptions;
  /** The user's vocabulary, sent to the service its own way (docs/protocols.md, "Vocabulary"). */
  readonly vocabulary?: readonly VocabularyTerm[];
}

/** A provider's profile on first use. */
export function defaultProfile(entry: ProviderEntry): ProviderProfile {
  return {
    url: entry.local ? '' : entry.service.cloudUrl,
    auth: entry.authMethods[0],
    options: entry.service.defaults(entry.local),
    spokenCommands: entry.local,
  };
}

/** The entry for `settings.provider` (the default when unknown). */
export function currentEntry(settings: Settings): ProviderEntry {
  return providerEntry(settings.provider) ?? PROVIDERS[0];
}

/** The profile of a provider: what the user set over the defaults. */
export function profileOf(settings: Settings, entry: ProviderEntry = currentEntry(settings)): ProviderProfile {
  const base = defaultProfile(entry);
  const saved = settings.profiles[entry.id];
  if (!saved) return base;
  return {
    url: saved.url,
    auth: saved.auth,
    tokenUrl: saved.tokenUrl ?? '',
    options: { ...base.options, ...saved.options },
    spokenCommands: saved.spokenCommands ?? base.spokenCommands,
  };
}

function sanitizeProfile(raw: unknown, entry: ProviderEntry): ProviderProfile | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const base = defaultProfile(entry);
  const options: Record<string, OptionValue> = {};
  const rawOptions = (typeof r.options === 'object' && r.options !== null ? r.options : {}) as Record<string, unknown>;
  // Only the service's own options, with the type of their default.
  for (const [key, fallback] of Object.entries(base.options)) {
    const v = rawOptions[key];
    options[key] = typeof v === typeof fallback ? (v as OptionValue) : fallback;
  }
  return {
    url: typeof r.url === 'string' ? r.url : base.url,
    tokenUrl: typeof r.tokenUrl === 'string' ? r.tokenUrl : '',
    auth: entry.authMethods.includes(r.auth as AuthMethod) ? (r.auth as AuthMethod) : base.auth,
    options,
    spokenCommands: typeof r.spokenCommands === 'boolean' ? r.spokenCommands : base.spokenCommands,
  };
}

/**
 * Settings from untrusted storage: known providers and their known options only, each checked
 * against the type of its default. Anything else falls back to the defaults.
 */
export function sanitizeSettings(raw: unknown): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const provider = typeof r.provider === 'string' && providerEntry(r.provider) ? r.provider : DEFAULT_SETTINGS.provider;
  const profiles: Record<string, ProviderProfile> = {};
  const rawProfiles = (typeof r.profiles === 'object' && r.profiles !== null ? r.profiles : {}) as Record<string, unknown>;
  for (const entry of PROVIDERS) {
    const p = sanitizeProfile(rawProfiles[entry.id], entry);
    if (p) profiles[entry.id] = p;
  }
  const m = (typeof r.microphone === 'object' && r.microphone !== null ? r.microphone : {}) as Record<string, unknown>;
  const flag = (key: keyof MicrophoneOptions) => (typeof m[key] === 'boolean' ? m[key] : (DEFAULT_MICROPHONE[key] as boolean));
  const microphone: MicrophoneOptions = {
    deviceId: typeof m.deviceId === 'string' ? m.deviceId : '',
    label: typeof m.label === 'string' ? m.label : '',
    echoCancellation: flag('echoCancellation'),
    noiseSuppression: flag('noiseSuppression'),
    autoGainControl: flag('autoGainControl'),
  };
  return { provider, profiles, microphone };
}

/**
 * Settings saved by the first version (one VoiceRun connection): an empty server URL was the local
 * engine; otherwise a VoiceRun endpoint. The key was never saved.
 */
export function migrateSettingsV1(raw: unknown): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (k: string) => {
    const v = r[k];
    return typeof v === 'string' ? v : '';
  };
  const local = text('serverUrl').trim() === '';
  const id = local ? 'local-voicerun' : 'voicerun';
  const entry = providerEntry(id) as ProviderEntry;
  const provider = text('provider');
  const model = text('model');
  const profile = {
    url: text('serverUrl'),
    auth: r.authMethod,
    options: {
      ...(provider && model ? { model: `${provider}:${model}` } : {}),
      language: text('language') || 'en',
      prompt: text('prompt'),
    },
  };
  return sanitizeSettings({ provider: id, profiles: { [entry.id]: profile } });
}

/** The part of `window.location` needed to find the local engine. */
export interface PageLocation {
  readonly protocol: string;
  readonly host: string;
}

/** The endpoint URL to use: the configured one, or the local engine's path on the page's host. */
export function resolveServerUrl(entry: ProviderEntry, profile: ProviderProfile, page: PageLocation): string {
  const configured = profile.url.trim();
  if (configured) return configured;
  if (!entry.local) return entry.service.cloudUrl;
  return `${page.protocol === 'https:' ? 'wss' : 'ws'}://${page.host}${entry.service.localPath}`;
}

/** A name for the endpoint that is safe to show: its host, never its query (which may hold a key). */
export function serverLabel(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return 'the transcription server';
  }
}
