import type { ComponentType, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ProblemNotice } from './states.js';

/**
 * A screen whose code is fetched on first use (`import()`), so the first load carries only the screens it shows.
 * A failed fetch (the server restarted with a new build, say) says so and can be tried again.
 *
 * ```tsx
 * const Report = lazyScreen(() => import('./screens/report.js').then((m) => m.Report), 'the report');
 * ```
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>, what: string): FunctionComponent<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  return function LazyScreen(props: P) {
    const [Screen, setScreen] = useState<ComponentType<P> | undefined>(() => loaded);
    const [problem, setProblem] = useState<Error>();
    const [round, setRound] = useState(0);
    useEffect(() => {
      if (Screen) return undefined;
      let live = true;
      loading ??= load();
      loading.then(
        (component) => {
          loaded = component;
          if (live) setScreen(() => component);
        },
        (error: unknown) => {
          loading = undefined;
          if (live) setProblem(error instanceof Error ? error : new Error(String(error)));
        },
      );
      return () => {
        live = false;
      };
    }, [round]);
    if (Screen) return <Screen {...props} />;
    if (problem) return <ProblemNotice error={problem} retry={() => { setProblem(undefined); setRound((n) => n + 1); }} />;
    return (
      <p class="status" role="status">
        Loading {what}…
      </p>
    );
  };
}
