/** The settings slice: the chosen provider, a profile per provider, the microphone. */
import { DEFAULT_MICROPHONE } from '../../core/microphone';
import { providerEntry } from '../../protocol/registry';
import { currentEntry, DEFAULT_SETTINGS, profileOf, type ProviderProfile } from '../../protocol/settings';
import type { SettingsSlice, Slice } from './types';

export const settingsSlice: Slice<SettingsSlice> = (set) => ({
  settings: DEFAULT_SETTINGS,
  selectProvider(id) {
    if (!providerEntry(id)) return;
    set((s) => ({ settings: { ...s.settings, provider: id } }));
  },
  updateProfile(patch) {
    set((s) => {
      const entry = currentEntry(s.settings);
      const profile = profileOf(s.settings, entry);
      const next: ProviderProfile = {
        url: patch.url ?? profile.url,
        auth: patch.auth ?? profile.auth,
        tokenUrl: patch.tokenUrl ?? profile.tokenUrl ?? '',
        options: patch.options ? { ...profile.options, ...patch.options } : profile.options,
        spokenCommands: patch.spokenCommands ?? profile.spokenCommands,
      };
      return { settings: { ...s.settings, profiles: { ...s.settings.profiles, [entry.id]: next } } };
    });
  },
  setMicrophone(patch) {
    set((s) => ({ settings: { ...s.settings, microphone: { ...DEFAULT_MICROPHONE, ...s.settings.microphone, ...patch } } }));
  },
  resetProfile() {
    set((s) => {
      const { [currentEntry(s.settings).id]: _dropped, ...profiles } = s.settings.profiles;
      return { settings: { ...s.settings, profiles } };
    });
  },
});
