/** Resets what persists between tests: both stores (module singletons) and the browser storage behind them. */
import { useCredentials } from '../store/credentials';
import { useDictation } from '../store/dictation';

export function resetStores(): void {
  localStorage.clear();
  sessionStorage.clear();
  useDictation.setState(useDictation.getInitialState(), true);
  useCredentials.setState(useCredentials.getInitialState(), true);
}
