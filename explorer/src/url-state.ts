/*
 * The state lives in the URL: each change is a history entry (so Back undoes it), and moving
 * through history re-reads the state from the URL.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { parseState, stateToSearch, type ViewState } from './state.js';
import { interactionStarted } from './timing.js';

export type Navigate = (next: ViewState, how?: { replace?: boolean; label?: string }) => void;

export function useUrlState(): [ViewState, Navigate] {
  const [state, setState] = useState(() => parseState(location.search));
  useEffect(() => {
    const onPop = () => {
      interactionStarted('history');
      setState(parseState(location.search));
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback<Navigate>((next, how = {}) => {
    const url = `${location.pathname}${stateToSearch(next)}`;
    if (url === `${location.pathname}${location.search}`) return;
    if (!how.replace) interactionStarted(how.label ?? 'change');
    if (how.replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    setState(parseState(stateToSearch(next)));
  }, []);
  return [state, navigate];
}
