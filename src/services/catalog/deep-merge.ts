import { isRecord } from '../../server/errors/problem-list.js';
import { parsePointer, type PatchOperation } from '../../server/json-patch/apply-json-patch.js';

/**
 * `PATCH /v2/dataSets/{id}`: the body is the final structure of the fields it names. Objects merge level by level,
 * creating the levels that are missing; any other value (arrays included) replaces what was there.
 */
export function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] = isRecord(value) && isRecord(current) ? deepMerge(current, value) : isRecord(value) ? deepMerge({}, value) : value;
  }
  return out;
}

/**
 * The JSON Patch form of the v2 endpoint: before `add` operations run, the objects their paths pass through are
 * created where missing, so `add /extensions/a/b` works on a dataset without `extensions`.
 */
export function withIntermediates(document: Record<string, unknown>, operations: readonly PatchOperation[]): Record<string, unknown> {
  const root = structuredClone(document);
  for (const operation of operations) {
    if (operation.op !== 'add') continue;
    let current: Record<string, unknown> = root;
    for (const token of parsePointer(operation.path).slice(0, -1)) {
      const next = current[token];
      if (next === undefined) current[token] = {};
      else if (!isRecord(next)) break;
      current = current[token] as Record<string, unknown>;
    }
  }
  return root;
}
