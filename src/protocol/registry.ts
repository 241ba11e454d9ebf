/**
 * Every service Dictate speaks, and the entries of the provider picker: each service's cloud
 * endpoint and the local engine speaking its dialect. Adding a service: write its adapter module
 * (`<id>.ts`), its definition (`<id>-service.ts`, whose `load()` imports the adapter) and its Settings
 * options (`<id>-fields.ts`, listed in `fields.ts`), and add the definition to {@link SERVICES}.
 */
import type { AuthMethod } from './adapter';
import { reson8Service } from './reson8-service';
import type { ServiceDefinition } from './service';
import { speechallService } from './speechall-service';
import { voiceRunService } from './voicerun-service';

/** The local engine's name in the provider picker: one entry, whatever protocol it speaks. */
export const LOCAL_ENGINE_LABEL = 'Local engine (PocketSphinx, offline)';

/** What Settings says of the local engine. */
export const LOCAL_ENGINE_SUMMARY =
  'CMU PocketSphinx, run by the server that serves this page: fast and private, works offline, with lower accuracy than cloud models. It writes lowercase words without punctuation (Spoken punctuation fills in). Needs `npm start` running on this computer.';

/** The services, in the order the picker lists them. */
export const SERVICES: readonly ServiceDefinition[] = [voiceRunService, reson8Service, speechallService];

/** One choice in the provider picker. */
export interface ProviderEntry {
  /** `<service id>` for the cloud service, `local-<service id>` for the local engine. */
  readonly id: string;
  /** Picker label: the service's product name, or {@link LOCAL_ENGINE_LABEL} for every local entry. */
  readonly label: string;
  /** For a local entry, the protocol it speaks, e.g. "Reson8 protocol" (an advanced choice in Settings). */
  readonly dialect?: string;
  /** What Settings says of this entry: what it is, its accuracy class, what it needs. */
  readonly summary: string;
  readonly service: ServiceDefinition;
  /** True for the local PocketSphinx server speaking this service's dialect. */
  readonly local: boolean;
  /** Auth methods offered; the local engine also allows none (its default). */
  readonly authMethods: readonly AuthMethod[];
}

/** Local engine entries first (they work offline), then the cloud services. */
export const PROVIDERS: readonly ProviderEntry[] = [
  ...SERVICES.map((service) => ({
    id: `local-${service.id}`,
    label: LOCAL_ENGINE_LABEL,
    dialect: `${service.name} protocol`,
    summary: LOCAL_ENGINE_SUMMARY,
    service,
    local: true,
    authMethods: ['none', ...service.authMethods] as AuthMethod[],
  })),
  ...SERVICES.map((service) => ({
    id: service.id,
    label: service.product,
    summary: service.summary,
    service,
    local: false,
    authMethods: service.authMethods,
  })),
];

/** The first entry: the local engine speaking VoiceRun. */
export const DEFAULT_PROVIDER_ID = PROVIDERS[0].id;

/** The entry with this id, or undefined. */
export function providerEntry(id: string): ProviderEntry | undefined {
  return PROVIDERS.find((p) => p.id === id);
}
