/** Settings → a protocol instance for one connection, loading the service's adapter on first use. */
import type { StreamingProtocol } from '../protocol/adapter';
import { providerEntry } from '../protocol/registry';
import { resolveServerUrl, type PageLocation, type SessionSettings } from '../protocol/settings';
import { loadFailed } from './errors';

/**
 * Builds the protocol for a session, loading its adapter on first use.
 * @throws Error (rejects) with a user-facing sentence when the settings cannot form a connection.
 */
export async function createProtocol(settings: SessionSettings, page: PageLocation): Promise<StreamingProtocol> {
  const entry = providerEntry(settings.provider);
  if (!entry) throw new Error(`Unknown provider "${settings.provider.slice(0, 40)}".`);
  const { profile } = settings;
  const auth = entry.authMethods.includes(profile.auth) ? profile.auth : entry.authMethods[0];
  let create: Awaited<ReturnType<typeof entry.service.load>>;
  try {
    create = await entry.service.load();
  } catch (cause) {
    throw loadFailed(`The ${entry.service.product} client`, cause);
  }
  const vocabulary = { terms: settings.vocabulary ?? [], local: entry.local };
  return create({ url: resolveServerUrl(entry, profile, page), auth, key: settings.apiKey }, profile.options, vocabulary);
}
