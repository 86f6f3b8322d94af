import type { ProblemList } from '../../server/errors/problem-list.js';
import { findConnectionSpec } from './specs/builtin-specs.js';
import type { ConnectionSpec } from './specs/connection-spec.js';

/** Reads `connectionSpec: {id, version}` and resolves the built-in spec, reporting an unknown id. */
export function readConnectionSpec(problems: ProblemList, body: Record<string, unknown>): { spec: ConnectionSpec; version: string } | undefined {
  const ref = problems.object(body, 'connectionSpec', '/connectionSpec', true);
  if (!ref) return undefined;
  const id = problems.string(ref, 'id', '/connectionSpec/id', true);
  const version = problems.string(ref, 'version', '/connectionSpec/version', false) ?? '1.0';
  if (id === undefined) return undefined;
  const spec = findConnectionSpec(id);
  if (!spec) {
    problems.add('/connectionSpec/id', `no connection spec with id ${id}; GET /connectionSpecs lists them`, 'invalidSpec');
    return undefined;
  }
  return { spec, version };
}
