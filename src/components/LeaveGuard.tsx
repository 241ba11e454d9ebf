import { useEffect } from 'react';
import { useDictation } from '../store/dictation';
import { isActive } from '../core/status';

/** While a session is active, asks before the tab is closed or reloaded (words in flight would be lost). */
export function LeaveGuard() {
  const status = useDictation((s) => s.status);
  const active = isActive(status);
  useEffect(() => {
    if (!active) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = ''; // older browsers need it set
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);
  return null;
}
