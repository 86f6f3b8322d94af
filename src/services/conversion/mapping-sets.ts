import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/database.js';
import { MappingSetsRepository, storedMappingSet, type StoredMappingSetVersion } from './mapping-sets.repository.js';
import { mappingSetKind } from '../../store/mapping-set-index.js';
import crypto from 'node:crypto';
import { ProblemList, isRecord } from '../../server/errors/problem-list.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import { ExpressionError } from '../../mapping/expression.js';
import { dateArgumentProblems } from '../../mapping/date-argument-problems.js';
import { parseExpression } from '../../mapping/parse-expression.js';
import type { MappingRule, SourceType } from '../../mapping/mapping-rule.js';
import { findField } from '../../xdm/field-lookup.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import type { ResolvedSchema } from '../schemaregistry/schema-access.js';

export { mappingSetKind };

export type { MappingRule, SourceType } from '../../mapping/mapping-rule.js';

/** A stored mapping set: every version, the last one current. */

const wireSourceType: Record<SourceType, string> = { ATTRIBUTE: 'text/x.schema-path', EXPRESSION: 'text/x.aep-xl', STATIC: 'text/plain' };

export interface MappingProblem {
  index: number;
  destination: string;
  source: string;
  message: string;
}

/**
 * Reads either dialect: the tutorial's (`xdmSchema`, `mappings[{sourceAttribute, destinationXdmPath}]`) or the
 * current Data Prep one (`outputSchema.schemaRef`, `mappings[{sourceType, source, destination}]`).
 */
export function readMappingRequest(body: Record<string, unknown>, problems: ProblemList): { schemaId?: string; contentType?: string; rules: MappingRule[]; name?: string } {
  const output = isRecord(body.outputSchema) && isRecord(body.outputSchema.schemaRef) ? body.outputSchema.schemaRef : undefined;
  const schemaId = typeof body.xdmSchema === 'string' ? body.xdmSchema : typeof output?.id === 'string' ? output.id : undefined;
  if (!schemaId) problems.add(body.outputSchema !== undefined ? '/outputSchema/schemaRef/id' : '/xdmSchema', 'is required: the $id of the target XDM schema');
  const rawMappings = body.mappings;
  if (!Array.isArray(rawMappings) || rawMappings.length === 0) {
    problems.add('/mappings', 'must be a non-empty array');
    return { ...(schemaId ? { schemaId } : {}), rules: [] };
  }
  const rules: MappingRule[] = [];
  rawMappings.forEach((raw, index) => {
    const path = `/mappings/${index}`;
    if (!isRecord(raw)) {
      problems.add(path, 'must be an object');
      return;
    }
    // Answers carry both dialects' names; the current one wins when both are there.
    const legacy = raw.source === undefined && raw.destination === undefined && (raw.sourceAttribute !== undefined || raw.destinationXdmPath !== undefined);
    const destination = problems.string(raw, legacy ? 'destinationXdmPath' : 'destination', `${path}/${legacy ? 'destinationXdmPath' : 'destination'}`, true);
    const source = problems.string(raw, legacy ? 'sourceAttribute' : 'source', `${path}/${legacy ? 'sourceAttribute' : 'source'}`, true);
    // The stored form's media types are taken too, so a mapping set read back can be sent back as it is.
    const sourceType = legacy ? 'ATTRIBUTE' : (sourceTypeOfWire[String(raw.sourceType)] ?? raw.sourceType ?? 'ATTRIBUTE');
    if (sourceType !== 'ATTRIBUTE' && sourceType !== 'STATIC' && sourceType !== 'EXPRESSION') {
      problems.add(`${path}/sourceType`, 'must be ATTRIBUTE, STATIC or EXPRESSION (or text/x.schema-path, text/plain, text/x.aep-xl as answers give them)');
      return;
    }
    for (const flag of ['identity', 'primaryIdentity'] as const) {
      if (raw[flag] !== undefined && raw[flag] !== null && typeof raw[flag] !== 'boolean') problems.add(`${path}/${flag}`, 'must be a boolean');
    }
    if (!destination || source === undefined) return;
    const rule: MappingRule = {
      sourceType,
      source,
      destination,
      identity: raw.identity === true,
      identityGroup: typeof raw.identityGroup === 'string' ? raw.identityGroup : null,
      namespaceCode: typeof raw.namespaceCode === 'string' ? raw.namespaceCode : null,
      primaryIdentity: raw.primaryIdentity === true,
    };
    if (typeof raw.name === 'string') rule.name = raw.name;
    if (typeof raw.description === 'string') rule.description = raw.description;
    rules.push(rule);
  });
  const result: { schemaId?: string; contentType?: string; rules: MappingRule[]; name?: string } = { rules };
  if (schemaId) result.schemaId = schemaId;
  if (typeof output?.contentType === 'string') result.contentType = output.contentType;
  if (typeof body.name === 'string') result.name = body.name;
  return result;
}

/** Every rule's problems against the target schema: unknown destinations, type clashes, bad expressions. */
export function checkRules(rules: MappingRule[], schema: ResolvedSchema): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const seen = new Map<string, number>();
  rules.forEach((rule, index) => {
    const add = (message: string) => problems.push({ index, destination: rule.destination, source: rule.source, message });
    const found = findField(schema.full, rule.destination);
    if ('error' in found) add(`destination ${found.error} (schema ${schema.id})`);
    else if (rule.sourceType === 'STATIC') {
      const clash = staticClash(rule.source, found.field);
      if (clash) add(clash);
    }
    if (rule.sourceType === 'EXPRESSION') {
      try {
        for (const problem of dateArgumentProblems(parseExpression(rule.source))) add(problem);
      } catch (error) {
        if (error instanceof ExpressionError) add(`expression does not parse: ${error.message}`);
        else throw error;
      }
    } else if (rule.sourceType === 'ATTRIBUTE' && rule.source.trim() === '') add('source attribute is empty');
    const previous = seen.get(rule.destination);
    if (previous !== undefined) add(`destination is already written by mapping ${previous}`);
    // Writing an object and one of its fields would make one mapping silently overwrite the other.
    for (const [other, otherIndex] of seen) {
      if (other.startsWith(`${rule.destination}.`) || rule.destination.startsWith(`${other}.`)) add(`destination overlaps mapping ${otherIndex} (${other})`);
    }
    seen.set(rule.destination, index);
  });
  return problems;
}

function staticClash(value: string, field: JsonObject): string | undefined {
  const type = String(field['meta:xdmType'] ?? field.type);
  if (['int', 'long', 'short', 'byte', 'integer'].includes(type) && !/^-?\d+$/.test(value)) return `static value "${value}" is not an integer, but the destination is ${type}`;
  if (type === 'number' && !Number.isFinite(Number(value))) return `static value "${value}" is not a number, but the destination is a number`;
  if (type === 'boolean' && value !== 'true' && value !== 'false') return `static value "${value}" is not true or false, but the destination is a boolean`;
  if (type === 'object' || type === 'array' || type === 'map') return `a static value cannot be written to the ${type} field`;
  if (Array.isArray(field.enum) && !field.enum.includes(value)) return `static value "${value}" is not one of ${JSON.stringify(field.enum)}`;
  return undefined;
}

export function newMappingId(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** The stored and returned form of one version of a mapping set, carrying both dialects' field names. */
export function mappingSetVersion(input: {
  id: string;
  version: number;
  schema: ResolvedSchema;
  contentType: string | undefined;
  rules: MappingRule[];
  name: string | undefined;
  ctx: RequestContext;
  now: number;
  createdDate: number;
  createdBy: string;
}): StoredMappingSetVersion {
  const { ctx, now } = input;
  const schemaRef = { id: input.schema.id, contentType: input.contentType ?? `application/vnd.adobe.xed-full+json;version=${input.schema.version.split('.')[0] ?? '1'}` };
  return {
    id: input.id,
    ...(input.name ? { name: input.name } : {}),
    version: input.version,
    createdDate: input.createdDate,
    modifiedDate: now,
    createdBy: input.createdBy,
    modifiedBy: ctx.userId,
    supportVersion: '1.1',
    outputSchema: { schemaRef },
    mappings: input.rules.map((rule) => ({
      id: newMappingId(),
      version: input.version,
      createdDate: now,
      modifiedDate: now,
      createdBy: ctx.userId,
      modifiedBy: ctx.userId,
      sourceType: wireSourceType[rule.sourceType],
      source: rule.source,
      destination: rule.destination,
      ...(rule.name ? { name: rule.name } : {}),
      ...(rule.description ? { description: rule.description } : {}),
      identity: rule.identity,
      identityGroup: rule.identityGroup,
      namespaceCode: rule.namespaceCode,
      primaryIdentity: rule.primaryIdentity,
      matchScore: 0,
      functionVersion: 1,
      sourceAttribute: rule.source,
      destinationXdmPath: rule.destination,
    })),
    status: 'PUBLISHED',
    strictMapping: true,
    allowNullValues: false,
    xdmVersion: '1.0',
    schemaRef,
    xdmSchema: input.schema.id,
  };
}

/** What the Flow Service needs of a mapping set: its versions and the schema each one writes. */
export async function findMappingSet(repo: ResourcesRepository, scope: Scope, id: string): Promise<{ id: string; latestVersion: number; schemaOf: (version: number) => string | undefined } | undefined> {
  const stored = await repo.get(mappingSetKind, scope, id);
  const versions = stored ? storedMappingSet(stored).body.versions : [];
  const current = versions[versions.length - 1];
  if (!stored || !current) return undefined;
  return {
    id: stored.id,
    latestVersion: Number(current.version),
    schemaOf: (version) => {
      const found = versions.find((v) => v.version === version);
      return found ? String(found.xdmSchema) : undefined;
    },
  };
}

/** Ids of the mapping sets any version of which writes `schemaId`. */
export function mappingSetsUsingSchema(db: Kysely<Database> | Transaction<Database>, scope: Scope, schemaId: string): Promise<string[]> {
  return new MappingSetsRepository(db).usingSchema(scope, schemaId);
}

const sourceTypeOfWire: Record<string, SourceType> = { 'text/x.schema-path': 'ATTRIBUTE', 'text/x.aep-xl': 'EXPRESSION', 'text/plain': 'STATIC' };

/** The rules of one version of a mapping set, as the engine runs them. */
export async function mappingRules(repo: ResourcesRepository, scope: Scope, id: string, version: number): Promise<MappingRule[] | undefined> {
  const stored = await repo.get(mappingSetKind, scope, id);
  const found = stored ? storedMappingSet(stored).body.versions.find((v) => v.version === version) : undefined;
  if (!found) return undefined;
  return found.mappings.map((m) => ({
    sourceType: sourceTypeOfWire[String(m.sourceType)] ?? 'ATTRIBUTE',
    source: String(m.source),
    destination: String(m.destination),
    identity: m.identity === true,
    identityGroup: typeof m.identityGroup === 'string' ? m.identityGroup : null,
    namespaceCode: typeof m.namespaceCode === 'string' ? m.namespaceCode : null,
    primaryIdentity: m.primaryIdentity === true,
  }));
}
