import { useEffect, useState } from 'preact/hooks';
import type { Scope } from '../api/client.js';

export type Loaded<T> = { status: 'loading' } | { status: 'error'; error: Error } | { status: 'ready'; data: T };

/**
 * Loads `read` for the scope in use and loads again when it changes. A load still under way when the org or
 * sandbox changes is aborted and its answer dropped, so one org's data never shows under another's.
 */
export function useApi<T>(scope: Scope | undefined, read: (scope: Scope, signal: AbortSignal) => Promise<T>, keys: unknown[] = []): Loaded<T> & { reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const org = scope?.session.org;
  const sandbox = scope?.sandbox;
  useEffect(() => {
    if (!scope) return undefined;
    const controller = new AbortController();
    setLoaded({ status: 'loading' });
    read(scope, controller.signal)
      .then((data) => {
        if (!controller.signal.aborted) setLoaded({ status: 'ready', data });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      });
    return () => controller.abort();
    // Not the token: a renewed token reads the same data, and is no reason to load again.
  }, [org, sandbox, round, ...keys]);
  return { ...loaded, reload: () => setRound((n) => n + 1) };
}
