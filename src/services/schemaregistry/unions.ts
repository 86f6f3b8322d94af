/**
 * Union schemas: for each class, a read-only view of every schema of that class that carries the `union` tag in
 * `meta:immutableTags` (enabled for Profile). A union is never stored; it is the class, the field groups of its
 * member schemas and the fields the registry adds to every union (`identityMap`, `segmentMembership`, and
 * `timeSeriesEvents` for record classes), so it changes whenever a member does.
 */
import { isObject, refsOf } from '../../xdm/component-lookup.js';
import { extendsChain } from '../../xdm/extends-chain.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import { globalLibVersion } from './registry-types.js';

export const unionSuffix = '__union';

/** The fields AEP puts in every union, by the standard components that define them. */
const identityMapFieldGroup = 'https://ns.adobe.com/xdm/context/identitymap';
const segmentMembershipFieldGroup = 'https://ns.adobe.com/xdm/context/profile-segmentation';
const timeSeriesEventsFieldGroup = 'https://ns.adobe.com/xdm/data/record-timeseries-events';
const recordBehavior = 'https://ns.adobe.com/xdm/data/record';

/** Where a union stands: its tenant (org, sandbox) facts, and a way to resolve the components it names. */
export interface UnionContext {
  orgId: string;
  sandboxId: string;
  sandboxType: string;
  lookup: (id: string) => JsonObject | undefined;
}

export function isUnionMember(schema: JsonObject): boolean {
  const tags = schema['meta:immutableTags'];
  return Array.isArray(tags) && tags.includes('union');
}

export function unionIdOf(classId: string): string {
  return `${classId}${unionSuffix}`;
}

/** The class a union id or alt id stands for, or undefined when it is not a union id. */
export function classOfUnion(unionIdOrAltId: string): string | undefined {
  return unionIdOrAltId.endsWith(unionSuffix) ? unionIdOrAltId.slice(0, -unionSuffix.length) : undefined;
}

/** Member schemas by the class they are built on, in the order given. */
export function unionMembers(schemas: JsonObject[]): Map<string, JsonObject[]> {
  const byClass = new Map<string, JsonObject[]>();
  for (const schema of schemas) {
    const classId = schema['meta:class'];
    if (typeof classId !== 'string' || !isUnionMember(schema)) continue;
    byClass.set(classId, [...(byClass.get(classId) ?? []), schema]);
  }
  return byClass;
}

/** The union document of a class, as `GET /tenant/unions/{id}` answers it in XED form. */
export function unionDocument(classId: string, members: JsonObject[], context: UnionContext): JsonObject {
  const classDoc = context.lookup(classId);
  const chain = classDoc ? extendsChain(classDoc, context.lookup) : [];
  const added = [identityMapFieldGroup, segmentMembershipFieldGroup, ...(chain.includes(recordBehavior) ? [timeSeriesEventsFieldGroup] : [])];
  const parts: string[] = [classId];
  const add = (id: string) => {
    if (!parts.includes(id) && context.lookup(id) !== undefined) parts.push(id);
  };
  for (const member of members) for (const ref of refsOf(member)) add(ref);
  for (const id of added) add(id);
  const memberExtends = members.flatMap((m) => (Array.isArray(m['meta:extends']) ? m['meta:extends'].filter((id): id is string => typeof id === 'string') : []));
  const classAltId = classDoc && typeof classDoc['meta:altId'] === 'string' ? classDoc['meta:altId'] : classId;
  const updated = Math.max(0, ...members.map(lastModified));
  return {
    $id: unionIdOf(classId),
    'meta:altId': `${classAltId}${unionSuffix}`,
    'meta:resourceType': 'unions',
    version: '1.0',
    title: `Union object for ${classId}`,
    type: 'object',
    description: `Union view of all schemas that extend ${classId}`,
    allOf: parts.map((ref) => ({ $ref: ref, type: 'object', 'meta:xdmType': 'object' })),
    'meta:extends': [...new Set([classId, ...chain, ...memberExtends, ...parts.slice(1)])],
    'meta:class': classId,
    'meta:containerId': 'tenant',
    'meta:xdmType': 'object',
    imsOrg: context.orgId,
    'meta:sandboxId': context.sandboxId,
    'meta:sandboxType': context.sandboxType,
    'meta:registryMetadata': { 'repo:lastModifiedDate': updated, 'meta:globalLibVersion': globalLibVersion },
  };
}

function lastModified(schema: JsonObject): number {
  const metadata = schema['meta:registryMetadata'];
  return isObject(metadata) && typeof metadata['repo:lastModifiedDate'] === 'number' ? metadata['repo:lastModifiedDate'] : 0;
}
