import type { ComponentChildren } from 'preact';
import { ApiProblem } from '../api/problem.js';
import type { Loaded } from '../state/use-api.js';

/** The loading, error and ready states every screen has, the error with the server's words and the field it names. */
export function LoadedView<T>({ loaded, children, what }: { loaded: Loaded<T> & { reload: () => void }; what: string; children: (data: T) => ComponentChildren }) {
  if (loaded.status === 'loading') return <p class="status" role="status">Loading {what}…</p>;
  if (loaded.status === 'error') return <ProblemNotice error={loaded.error} retry={loaded.reload} />;
  return <>{children(loaded.data)}</>;
}

export function ProblemNotice({ error, retry }: { error: Error; retry?: () => void }) {
  const problem = error instanceof ApiProblem ? error : undefined;
  return (
    <div class="problem" role="alert">
      <p>
        {problem?.code ? <code>{problem.code}</code> : null} {error.message}
      </p>
      {problem?.field ? (
        <p>
          Field: <code>{problem.field}</code>
        </p>
      ) : null}
      {retry ? (
        <button type="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
