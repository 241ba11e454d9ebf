import { resetStores } from '../test/stores';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCredentials } from './credentials';

beforeEach(resetStores);

describe('the credentials store', () => {
  it('keeps a key for this tab only unless the user chose to remember it', () => {
    useCredentials.getState().setKey('speechall', 'key-tab-only');
    expect(sessionStorage.getItem('dictate-keys')).toContain('key-tab-only');
    expect(localStorage.getItem('dictate-keys')).not.toContain('key-tab-only');
  });

  it('keeps a key in localStorage only when the user chose to remember it, and forgets it when unticked', () => {
    useCredentials.getState().setKey('reson8', 'tok-remembered');
    useCredentials.getState().setRemember('reson8', true);
    expect(localStorage.getItem('dictate-keys')).toContain('tok-remembered');
    expect(sessionStorage.getItem('dictate-keys')).not.toContain('tok-remembered');
    useCredentials.getState().setRemember('reson8', false);
    expect(localStorage.getItem('dictate-keys')).not.toContain('tok-remembered');
    expect(sessionStorage.getItem('dictate-keys')).toContain('tok-remembered');
  });

  it('restores a remembered key after the tab is gone, but not a tab-only one', async () => {
    useCredentials.getState().setKey('reson8', 'tok-remembered');
    useCredentials.getState().setRemember('reson8', true);
    useCredentials.getState().setKey('speechall', 'key-tab-only');
    sessionStorage.clear(); // the tab closed; a new one reads what storage holds
    await useCredentials.persist.rehydrate();
    expect(useCredentials.getState().keys).toEqual({ reson8: 'tok-remembered' });
  });

  it('ignores storage it cannot read instead of crashing', async () => {
    localStorage.setItem('dictate-keys', '{not json');
    sessionStorage.setItem('dictate-keys', JSON.stringify({ state: { keys: { reson8: 5, speechall: 'ok' } } }));
    await useCredentials.persist.rehydrate();
    expect(useCredentials.getState().keys).toEqual({ speechall: 'ok' });
  });
});
