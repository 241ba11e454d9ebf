/** Resets what persists between tests: the stores (module singletons), the browser storage behind them, and History. */
import { openHistory } from '../history/db';
import { useCompare } from '../store/compare';
import { useCredentials } from '../store/credentials';
import { useDictation } from '../store/dictation';
import { useHistory } from '../store/history';
import { usePlayback } from '../store/playback';
import { usePreferences } from '../store/preferences';
import { attachHistory } from '../store/persistence';
import { useWords } from '../store/words';

let databases = 0;

export function resetStores(): void {
  localStorage.clear();
  sessionStorage.clear();
  useDictation.setState(useDictation.getInitialState(), true);
  useCredentials.setState(useCredentials.getInitialState(), true);
  useHistory.setState(useHistory.getInitialState(), true);
  usePreferences.setState(usePreferences.getInitialState(), true);
  useWords.setState(useWords.getInitialState(), true);
  useCompare.setState(useCompare.getInitialState(), true);
  usePlayback.getState().unload();
  usePlayback.setState(usePlayback.getInitialState(), true);
  // A new, empty History (fake-indexeddb, see setup.ts) for each test.
  attachHistory(openHistory(`dictate-test-${++databases}`));
}
