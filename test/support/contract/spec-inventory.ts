import { isRecord } from './json-record.js';
import { selectResponse } from './response-selector.js';
import type { Service } from './service.js';
import type { LoadedSpec } from './spec-loader.js';

/** What a spec lets us check: which operations have at least one response with a JSON body schema. */
export interface SpecInventory {
  readonly service: Service;
  readonly file: string;
  readonly operations: number;
  readonly withJsonResponseSchema: number;
  /** `'GET /flows/{FLOW_ID}' -> ['200']`: the statuses whose bodies are validated. */
  readonly checkable: Readonly<Record<string, readonly string[]>>;
  /** Operations whose every response is unchecked (no body schema at all). */
  readonly uncheckable: readonly string[];
  /** Loader fix-ups applied to this spec (id -> places changed); see `spec-allow-list.ts`. */
  readonly fixUps: Readonly<Record<string, number>>;
}

export function describeSpec(spec: LoadedSpec): SpecInventory {
  const checkable: Record<string, string[]> = {};
  const uncheckable: string[] = [];
  for (const operation of spec.operations.values()) {
    const statuses = Object.keys(operation.responses).filter((key) => {
      // `default`/`2XX` keys are probed with a representative status; the selector maps it back to the key.
      const probe = /^\d{3}$/.test(key) ? Number(key) : key.toLowerCase() === 'default' ? 599 : Number(`${key.charAt(0)}00`);
      const selected = selectResponse(spec, operation, probe, undefined);
      return selected !== null && selected.key === key && hasSchema(selected.schema);
    });
    if (statuses.length > 0) checkable[operation.operation] = statuses;
    else uncheckable.push(operation.operation);
  }
  return {
    service: spec.service,
    file: spec.file,
    operations: spec.operations.size,
    withJsonResponseSchema: Object.keys(checkable).length,
    checkable,
    uncheckable,
    fixUps: spec.fixUps,
  };
}

function hasSchema(schema: unknown): boolean {
  return isRecord(schema) || typeof schema === 'boolean';
}
