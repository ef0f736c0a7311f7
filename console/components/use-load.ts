import { errorText } from '../api.js';
import { useCallback, useEffect, useRef, useState } from '../html.js';

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload(): void;
}

/**
 * Loads what a screen shows, again when `deps` change, and every `pollMs` while the page
 * is visible (so the log updates as it changes, without a manual reload).
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], pollMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const latest = useRef(load);
  latest.current = load;
  const seq = useRef(0);
  const run = useCallback(() => {
    const mine = ++seq.current;
    latest
      .current()
      .then((data) => mine === seq.current && setState({ data, loading: false }))
      .catch((err: unknown) => mine === seq.current && setState((s) => ({ ...s, error: errorText(err), loading: false })));
  }, []);
  useEffect(() => {
    setState((s) => ({ ...s, loading: true }));
    run();
    if (!pollMs) return undefined;
    const timer = setInterval(() => document.visibilityState === 'visible' && run(), pollMs);
    return () => clearInterval(timer);
  }, deps);
  return { ...state, reload: run };
}
