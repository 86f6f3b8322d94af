import type { Static, TSchema } from 'typebox';
import { Check, Errors } from 'typebox/value';
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
  if (!Check(schema, body)) {
    const first = Errors(schema, body)[0];
    throw new Error(`${what} ${stored.id} does not have the stored ${what} shape${first ? ` (${first.instancePath || '/'} ${first.message})` : ''}`);
  }
  return { ...stored, body };
}
