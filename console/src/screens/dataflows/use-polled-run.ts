import { useEffect, useRef, useState } from 'preact/hooks';
import type { Scope } from '../../api/client.js';
import type { Loaded } from '../../state/use-api.js';
import { readRun, type Run } from './flow-wire.js';

/** How often a run in progress is read again. */
const pollMs = 1500;

/**
 * A run, read again every 1.5 s while it is in progress, so its stage and figures move on screen. Polling stops
 * when the run ends, when the page is left, and when the org or sandbox changes (the read under way is aborted).
 */
export function usePolledRun(scope: Scope, runId: string): Loaded<Run> & { reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded<Run>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  // Each read takes the newest scope, whose token may have been renewed since the polling began.
  const current = useRef(scope);
  current.current = scope;
  const org = scope.session.org;
  const sandbox = scope.sandbox;
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    setLoaded({ status: 'loading' });
    const read = async () => {
      try {
        const run = await readRun(current.current, runId, controller.signal);
        if (controller.signal.aborted) return;
        setLoaded({ status: 'ready', data: run });
        if (run.metrics.statusSummary.status === 'inProgress') timer = setTimeout(() => void read(), pollMs);
      } catch (error) {
        if (!controller.signal.aborted) setLoaded({ status: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      }
    };
    void read();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [org, sandbox, runId, round]);
  return { ...loaded, reload: () => setRound((n) => n + 1) };
}
