import crypto from 'node:crypto';
import { ApiError } from '../../server/errors/api-error.js';
import { ProblemList, isRecord } from '../../server/errors/problem-list.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import { extensibleContextRef, isObject, splitRef } from '../../xdm/component-lookup.js';
import { schemaExtends, extendsChain } from '../../xdm/extends-chain.js';
import { resolveFull, UnresolvedReferenceError } from '../../xdm/resolve-full.js';
import type { JsonObject, JsonValue } from '../../xdm/standard/json-value.js';
import { checkFieldTree } from './field-tree.js';
import { checkProfileEnablement } from './profile-enablement.js';
import { isUnionMember } from './unions.js';
import type { RegistryView } from './registry.js';
import { globalLibVersion, type RegistryType } from './registry-types.js';

/** Fields the registry owns; a client may send them (the tutorial does) but never sets them. */
const systemKeys = ['$id', 'meta:altId', 'meta:resourceType', 'version', 'refs', 'imsOrg', 'meta:extends', 'meta:registryMetadata', 'meta:containerId', 'meta:tenantNamespace', 'meta:sandboxId', 'meta:sandboxType', 'meta:xdmType', 'meta:extensible', 'meta:abstract'];

export interface ComponentInput {
  type: RegistryType;
  body: Record<string, unknown>;
  ctx: RequestContext;
  registry: RegistryView;
  now: number;
  /** The stored document when this is an update (PUT or PATCH). */
  existing?: JsonObject | undefined;
}

/** Validates a tenant class, field group, data type or schema and computes every registry-owned field. */
export function buildTenantComponent(input: ComponentInput): JsonObject {
  const { type, body, ctx, existing } = input;
  const problems = new ProblemList();
  const title = problems.string(body, 'title', '/title', true);
  const description = problems.string(body, 'description', '/description', false);
  if (body.type !== undefined && body.type !== 'object') problems.add('/type', 'must be "object"');
  const hex = existing ? String(existing.$id).split('/').pop() : crypto.randomBytes(type.resourceType === 'schemas' ? 24 : 16).toString('hex');
  const id = `https://ns.adobe.com/${ctx.tenantId}/${type.resourceType}/${hex}`;
  const doc: JsonObject = {
    $id: id,
    'meta:altId': `_${ctx.tenantId}.${type.resourceType}.${hex}`,
    'meta:resourceType': type.resourceType,
    version: nextVersion(existing),
    title: title ?? '',
    type: 'object',
    description: description ?? '',
  };
  const parts = type.resourceType === 'schemas' ? schemaParts(input, problems) : componentParts(input, problems);
  problems.throwIfAny(`The ${type.resourceType === 'mixins' ? 'field group' : type.resourceType.replace(/s$/, '')} is not valid`);
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('meta:') && !systemKeys.includes(key) && !(key in parts) && isJson(value)) doc[key] = value;
  }
  const result: JsonObject = {
    ...doc,
    ...parts,
    imsOrg: ctx.orgId,
    'meta:xdmType': 'object',
    'meta:registryMetadata': registryMetadata(input, existing),
    'meta:containerId': 'tenant',
    'meta:tenantNamespace': `_${ctx.tenantId}`,
    'meta:sandboxId': ctx.sandbox.id,
    'meta:sandboxType': ctx.sandbox.type,
  };
  checkResolves(result, input.registry);
  if (isUnionMember(result)) checkProfileEnablement(String(result.$id), resolveFull(result, input.registry.lookupWith(result)), input.registry.descriptors());
  (result['meta:registryMetadata'] as JsonObject).eTag = crypto.createHash('sha256').update(JSON.stringify({ ...result, 'meta:registryMetadata': null })).digest('hex');
  return result;
}

function schemaParts(input: ComponentInput, problems: ProblemList): JsonObject {
  const { body, registry } = input;
  const refs = readAllOf(body, problems);
  const classes: string[] = [];
  const fieldGroups: string[] = [];
  refs.forEach((ref, index) => {
    const found = registry.find(ref);
    const kind = found?.doc['meta:resourceType'];
    if (!found) problems.add(`/allOf/${index}/$ref`, `${ref} is not a known class or field group`, 'unknownReference');
    else if (kind === 'classes') classes.push(ref);
    else if (kind === 'mixins') fieldGroups.push(ref);
    else problems.add(`/allOf/${index}/$ref`, `${ref} is a ${String(kind)}; a schema's allOf takes one class and field groups`);
  });
  const uniqueClasses = [...new Set(classes)];
  if (uniqueClasses.length !== 1 && problems.empty) problems.add('/allOf', `must reference exactly one class, found ${uniqueClasses.length}`);
  const classId = uniqueClasses[0] ?? '';
  if (body['meta:class'] !== undefined && classId && !namesClass(body['meta:class'], registry.find(classId)?.doc)) {
    problems.add('/meta:class', `is ${JSON.stringify(body['meta:class'])} but allOf references the class ${classId}`);
  }
  const uniqueFieldGroups = [...new Set(fieldGroups)];
  for (const fieldGroupId of uniqueFieldGroups) {
    const intended = registry.find(fieldGroupId)?.doc['meta:intendedToExtend'];
    if (classId && Array.isArray(intended) && intended.length > 0 && !intendedFor(intended, classId, registry)) {
      problems.add(`/allOf`, `field group ${fieldGroupId} is meant for ${intended.join(', ')}, not for class ${classId}`, 'incompatibleComponent');
    }
  }
  if (!problems.empty) return {};
  return {
    allOf: refs.map((ref) => ({ $ref: ref, type: 'object', 'meta:xdmType': 'object' })),
    refs: [...uniqueFieldGroups, classId],
    'meta:extensible': false,
    'meta:abstract': false,
    'meta:extends': schemaExtends(classId, uniqueFieldGroups, registry.lookup),
    'meta:class': classId,
    ...(isJson(input.body['meta:immutableTags']) ? { 'meta:immutableTags': input.body['meta:immutableTags'] } : {}),
  };
}

/**
 * Whether a client's `meta:class` names the class its `allOf` references: by `$id`, by `meta:altId`, or by the
 * id's last segment, which Adobe's own Luma collection sends as `schema://<id>`.
 */
function namesClass(value: unknown, classDoc: JsonObject | undefined): boolean {
  if (typeof value !== 'string' || classDoc === undefined) return false;
  const id = String(classDoc.$id);
  const last = (text: string) => text.split(/[/:]/).filter((part) => part !== '').pop();
  return value === id || value === classDoc['meta:altId'] || last(value) === last(id);
}

/** A class meant for the behavior "record" accepts field groups meant for any record class, and so on. */
function intendedFor(intended: JsonValue[], classId: string, registry: RegistryView): boolean {
  if (intended.includes(classId)) return true;
  const cls = registry.lookup(classId);
  const chain = cls ? extendsChain(cls, registry.lookup) : [];
  return intended.some((id) => typeof id === 'string' && chain.includes(id));
}

function componentParts(input: ComponentInput, problems: ProblemList): JsonObject {
  const { type, body, ctx, registry } = input;
  const tenantField = `_${ctx.tenantId}`;
  const out: JsonObject = {
    'meta:extensible': type.resourceType === 'datatypes' ? true : body['meta:extensible'] !== false,
    'meta:abstract': type.resourceType !== 'classes' || body['meta:abstract'] === true,
  };
  const definitions: JsonObject = {};
  if (body.definitions !== undefined) {
    if (!isRecord(body.definitions)) problems.add('/definitions', 'must be an object of named definitions');
    else {
      for (const [name, definition] of Object.entries(body.definitions)) {
        const path = `/definitions/${name}`;
        if (!isRecord(definition)) {
          problems.add(path, 'must be an object with properties');
          continue;
        }
        const properties = checkFieldTree(definition.properties ?? {}, `${path}/properties`, problems, registry);
        if (type.resourceType !== 'datatypes') {
          for (const field of Object.keys(properties)) {
            if (field !== tenantField) problems.add(`${path}/properties/${field}`, `custom fields must be nested under the tenant namespace "${tenantField}"`);
          }
        }
        definitions[name] = { ...(definition as JsonObject), properties };
      }
    }
    out.definitions = definitions;
  }
  if (body.properties !== undefined) {
    if (type.resourceType !== 'datatypes') problems.add('/properties', `a ${type.resourceType === 'mixins' ? 'field group' : 'class'} declares fields in definitions`);
    else out.properties = checkFieldTree(body.properties, '/properties', problems, registry);
  }
  const refs = body.allOf === undefined && type.resourceType === 'datatypes' ? [] : readAllOf(body, problems);
  refs.forEach((ref, index) => {
    const { base, fragment } = splitRef(ref);
    if (base === '') {
      if (!fragment?.startsWith('/definitions/') || !(fragment.slice('/definitions/'.length) in definitions)) {
        problems.add(`/allOf/${index}/$ref`, `${ref} does not name one of this component's definitions`, 'unknownReference');
      }
    } else if (!registry.find(base)) problems.add(`/allOf/${index}/$ref`, `${ref} is not a known component`, 'unknownReference');
  });
  if (refs.length > 0) out.allOf = refs.map((ref) => ({ $ref: ref, type: 'object', 'meta:xdmType': 'object' }));
  if (type.resourceType === 'classes' && !refs.some((ref) => ['behaviors'].includes(String(registry.find(ref)?.doc['meta:resourceType'])))) {
    problems.add('/allOf', 'a class must include a behavior: https://ns.adobe.com/xdm/data/record or https://ns.adobe.com/xdm/data/time-series');
  }
  if (type.resourceType === 'mixins') {
    const intended = body['meta:intendedToExtend'] ?? [];
    if (!Array.isArray(intended) || intended.some((id) => typeof id !== 'string')) problems.add('/meta:intendedToExtend', 'must be an array of class ids');
    else {
      intended.forEach((id, index) => {
        if (registry.find(String(id), 'classes') === undefined && registry.find(String(id), 'behaviors') === undefined) {
          problems.add(`/meta:intendedToExtend/${index}`, `${String(id)} is not a known class`, 'unknownReference');
        }
      });
      out['meta:intendedToExtend'] = intended as JsonValue[];
    }
  }
  if (type.resourceType !== 'datatypes') {
    const chain: string[] = [];
    for (const ref of refs) {
      const { base, fragment } = splitRef(ref);
      if (base !== '' && fragment === undefined && !chain.includes(base)) chain.push(base);
    }
    out['meta:extends'] = chain;
  }
  return out;
}

function readAllOf(body: Record<string, unknown>, problems: ProblemList): string[] {
  const allOf = body.allOf;
  if (!Array.isArray(allOf) || allOf.length === 0) {
    problems.add('/allOf', 'is required: an array of {"$ref": ...}');
    return [];
  }
  const refs: string[] = [];
  allOf.forEach((entry, index) => {
    if (!isRecord(entry) || typeof entry.$ref !== 'string' || entry.$ref.trim() === '') problems.add(`/allOf/${index}`, 'must be {"$ref": "<component $id>"}');
    else if (entry.$ref !== extensibleContextRef) refs.push(entry.$ref);
  });
  return refs;
}

function checkResolves(doc: JsonObject, registry: RegistryView): void {
  try {
    resolveFull(doc, (id) => (id === doc.$id ? doc : registry.lookup(id)));
  } catch (error) {
    if (error instanceof UnresolvedReferenceError) throw new ApiError('unknownReference', error.message);
    throw new ApiError('validation', error instanceof Error ? error.message : String(error));
  }
}

function nextVersion(existing: JsonObject | undefined): string {
  if (!existing || typeof existing.version !== 'string') return '1.0';
  const [major, minor] = existing.version.split('.').map(Number);
  return `${major ?? 1}.${(minor ?? 0) + 1}`;
}

function registryMetadata(input: ComponentInput, existing: JsonObject | undefined): JsonObject {
  const previous = existing && isObject(existing['meta:registryMetadata']) ? existing['meta:registryMetadata'] : undefined;
  return {
    'repo:createdDate': typeof previous?.['repo:createdDate'] === 'number' ? previous['repo:createdDate'] : input.now,
    'repo:lastModifiedDate': input.now,
    'xdm:createdClientId': typeof previous?.['xdm:createdClientId'] === 'string' ? previous['xdm:createdClientId'] : input.ctx.clientId,
    'xdm:lastModifiedClientId': input.ctx.clientId,
    'xdm:createdUserId': typeof previous?.['xdm:createdUserId'] === 'string' ? previous['xdm:createdUserId'] : input.ctx.userId,
    'xdm:lastModifiedUserId': input.ctx.userId,
    eTag: '',
    'meta:globalLibVersion': globalLibVersion,
  };
}

function isJson(value: unknown): value is JsonValue {
  return value !== undefined;
}

