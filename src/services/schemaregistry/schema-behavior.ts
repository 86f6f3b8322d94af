import { extendsChain } from '../../xdm/extends-chain.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import { Registry } from './registry.js';

/** How a schema's data behaves over time, as Catalog's `classification.dataBehavior` names it. */
export type DataBehavior = 'record' | 'time-series' | 'adhoc';

const behaviorIds: Record<string, DataBehavior> = {
  'https://ns.adobe.com/xdm/data/record': 'record',
  'https://ns.adobe.com/xdm/data/time-series': 'time-series',
  'https://ns.adobe.com/xdm/data/adhoc': 'adhoc',
};

/**
 * The behavior of each schema's class (record, time-series or adhoc), read from the class's `meta:extends`
 * chain, with one registry read for all of them (the schemas and what they build on). A schema that is not there (or whose class builds on no
 * known behavior) maps to undefined.
 */
export async function schemaDataBehaviors(repo: ResourcesRepository, scope: Scope, schemaIds: readonly string[]): Promise<Map<string, DataBehavior | undefined>> {
  const registry = await Registry.ofSchemas(repo, scope, schemaIds);
  const out = new Map<string, DataBehavior | undefined>();
  for (const schemaId of new Set(schemaIds)) {
    const schema = registry.find(schemaId, 'schemas');
    const classId = schema?.doc['meta:class'];
    const cls = typeof classId === 'string' ? registry.lookup(classId) : undefined;
    // The class chain is authoritative; a schema's own `meta:extends` repeats it for schemas built here.
    const chain = [...(cls ? extendsChain(cls, registry.lookup) : []), ...(Array.isArray(schema?.doc['meta:extends']) ? schema.doc['meta:extends'] : [])];
    const behavior = chain.map((id) => (typeof id === 'string' ? behaviorIds[id] : undefined)).find((b) => b !== undefined);
    out.set(schemaId, behavior);
  }
  return out;
}

export async function schemaDataBehavior(repo: ResourcesRepository, scope: Scope, schemaId: string): Promise<DataBehavior | undefined> {
  return (await schemaDataBehaviors(repo, scope, [schemaId])).get(schemaId);
}
