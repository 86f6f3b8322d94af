import type { Static, TSchema } from 'typebox';
import { firstDifference, hasShape } from './compiled-check.js';
import type { StoredResource } from './resources.repository.js';

/**
 * A stored resource whose body has been checked against its kind's stored shape. A body of another shape is a store
 * edited by hand (or a bug that wrote it): it fails loudly here, naming the resource and the first field that differs.
 *
 * @example
 * const flow = checkedResource(StoredFlowBody, stored, 'flow'); // flow.body is a StoredFlowBody
 */
export function checkedResource<S extends TSchema>(schema: S, stored: StoredResource, what: string): StoredResource & { body: Static<S> } {
  const body: unknown = stored.body;
  if (!hasShape(schema, body)) {
    const difference = firstDifference(schema, body);
    throw new Error(`${what} ${stored.id} does not have the stored ${what} shape${difference ? ` (${difference})` : ''}`);
  }
  return { ...stored, body };
}
