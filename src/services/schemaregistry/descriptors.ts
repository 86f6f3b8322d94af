import crypto from 'node:crypto';
import { ProblemList } from '../../server/errors/problem-list.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import { findField } from '../../xdm/field-lookup.js';
import { resolveFull } from '../../xdm/resolve-full.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import type { RegistryView } from './registry.js';

export { descriptorKind } from './registry-types.js';

const supported = [
  'xdm:descriptorIdentity',
  'xdm:descriptorOneToOne',
  'xdm:alternateDisplayInfo',
  'xdm:descriptorReferenceIdentity',
  'xdm:descriptorRelationship',
] as const;

/** The schemas a descriptor body names: the registry view that checks it needs these, and their descriptors. */
export function schemasNamedBy(body: Record<string, unknown>): string[] {
  return [body['xdm:sourceSchema'], body['xdm:destinationSchema']].filter((id): id is string => typeof id === 'string');
}

/** Validates a descriptor against the schema it describes and returns it with its registry fields. */
export function buildDescriptor(body: Record<string, unknown>, ctx: RequestContext, registry: RegistryView, existingId?: string): JsonObject {
  const problems = new ProblemList();
  const type = problems.string(body, '@type', '/@type', true);
  if (type && !supported.includes(type as (typeof supported)[number])) problems.add('/@type', `must be one of ${supported.join(', ')}`);
  const schemaId = problems.string(body, 'xdm:sourceSchema', '/xdm:sourceSchema', true);
  const version = body['xdm:sourceVersion'];
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version) || version < 1)) problems.add('/xdm:sourceVersion', 'must be a positive integer');
  const property = problems.string(body, 'xdm:sourceProperty', '/xdm:sourceProperty', type !== 'xdm:descriptorOneToOne' || body['xdm:sourceProperty'] !== undefined);
  const schema = schemaId ? registry.find(schemaId, 'schemas') : undefined;
  if (schemaId && !schema) problems.add('/xdm:sourceSchema', `no schema ${schemaId} in this sandbox`, 'unknownReference');
  if (schema && property) {
    // Descriptor pointers leave out the `properties` segments: /personalEmail/address.
    const found = findField(resolveFull(schema.doc, registry.lookup), property.replace(/^\//, '').split('/').join('.'));
    if ('error' in found) problems.add('/xdm:sourceProperty', `${property} is not a field of ${schemaId}`);
  }
  if (type === 'xdm:descriptorIdentity') {
    problems.string(body, 'xdm:namespace', '/xdm:namespace', true);
    const prop = problems.string(body, 'xdm:property', '/xdm:property', true);
    if (prop && prop !== 'xdm:code' && prop !== 'xdm:id') problems.add('/xdm:property', 'must be "xdm:code" or "xdm:id"');
    if (body['xdm:isPrimary'] !== undefined && typeof body['xdm:isPrimary'] !== 'boolean') problems.add('/xdm:isPrimary', 'must be a boolean');
    if (body['xdm:isPrimary'] === true && schemaId) {
      const otherPrimary = registry.descriptors().find((d) => d['@id'] !== existingId && d['@type'] === 'xdm:descriptorIdentity' && d['xdm:sourceSchema'] === schema?.doc.$id && d['xdm:isPrimary'] === true);
      if (otherPrimary) problems.add('/xdm:isPrimary', `schema already has a primary identity (descriptor ${String(otherPrimary['@id'])})`);
    }
  }
  if (type === 'xdm:descriptorOneToOne' || type === 'xdm:descriptorRelationship') {
    const destination = problems.string(body, 'xdm:destinationSchema', '/xdm:destinationSchema', true);
    if (destination && !registry.find(destination, 'schemas')) problems.add('/xdm:destinationSchema', `no schema ${destination} in this sandbox`, 'unknownReference');
  }
  problems.throwIfAny('The descriptor is not valid');
  const doc: JsonObject = {};
  for (const [key, value] of Object.entries(body)) if (key !== '@id' && value !== undefined) doc[key] = value as JsonObject[string];
  return {
    ...doc,
    'xdm:sourceSchema': schema ? String(schema.doc.$id) : String(schemaId),
    'xdm:sourceVersion': typeof version === 'number' ? version : 1,
    '@id': existingId ?? crypto.randomBytes(20).toString('hex'),
    'meta:containerId': 'tenant',
    version: '1',
    imsOrg: ctx.orgId,
    'meta:sandboxId': ctx.sandbox.id,
    'meta:sandboxType': ctx.sandbox.type,
  };
}
