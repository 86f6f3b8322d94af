import { isRecord, type JsonRecord } from './json-record.js';
import type { Service } from './service.js';
import { specFixUps, type SpecFixUpId } from './spec-allow-list.js';

/** A fix-up edits the parsed spec in place and returns how many places it changed. */
type FixUp = (doc: JsonRecord) => number;

/**
 * The implementations of the fix-ups documented (with reasons) in `spec-allow-list.ts`.
 * Typed by `SpecFixUpId` so a documented fix-up without code, or code without documentation, fails to compile.
 */
const implementations: Readonly<Record<SpecFixUpId, FixUp>> = {
  'trim-trailing-space-keys': trimTrailingSpaceKeys,
  'patch-op-any-case': (doc) => addLowerCaseEnum(namedSchema(doc, 'PatchInstruction'), 'op'),
  'runs-activities-spelling': (doc) => aliasProperty(namedSchema(doc, 'FlowRunItemDTO'), 'activites', 'activities'),
};

export function applySpecFixUps(service: Service, doc: JsonRecord): Record<string, number> {
  const applied: Record<string, number> = {};
  for (const note of specFixUps) {
    if (note.service !== service) continue;
    const changes = implementations[note.id](doc);
    if (changes === 0) {
      // The defect is gone (or moved) upstream: the fix-up and its allow-list note need a review.
      throw new Error(`Spec fix-up '${note.id}' found nothing to fix in ${service}; re-check spec-allow-list.ts`);
    }
    applied[note.id] = changes;
  }
  return applied;
}

function trimTrailingSpaceKeys(node: unknown): number {
  if (Array.isArray(node)) return node.reduce<number>((sum, item) => sum + trimTrailingSpaceKeys(item), 0);
  if (!isRecord(node)) return 0;
  let changes = 0;
  for (const key of Object.keys(node)) {
    const value = node[key];
    const trimmed = key.trim();
    // Never overwrite a correctly spelled sibling; the misspelled copy then simply stays unused.
    if (trimmed !== key && !(trimmed in node)) {
      delete node[key];
      node[trimmed] = value;
      changes += 1;
    }
    changes += trimTrailingSpaceKeys(value);
  }
  return changes;
}

function namedSchema(doc: JsonRecord, name: string): JsonRecord | undefined {
  const components = doc.components;
  const schemas = isRecord(components) ? components.schemas : doc.definitions;
  const schema = isRecord(schemas) ? schemas[name] : undefined;
  return isRecord(schema) ? schema : undefined;
}

function propertyOf(schema: JsonRecord | undefined, name: string): JsonRecord | undefined {
  const properties = schema?.properties;
  const property = isRecord(properties) ? properties[name] : undefined;
  return isRecord(property) ? property : undefined;
}

function addLowerCaseEnum(schema: JsonRecord | undefined, propertyName: string): number {
  const property = propertyOf(schema, propertyName);
  const values = property?.enum;
  if (property === undefined || !Array.isArray(values)) return 0;
  const lower = values.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
  const added = lower.filter((v) => !values.includes(v));
  property.enum = [...values, ...added];
  return added.length;
}

function aliasProperty(schema: JsonRecord | undefined, misspelled: string, correct: string): number {
  const property = propertyOf(schema, misspelled);
  const properties = schema?.properties;
  if (property === undefined || !isRecord(properties) || correct in properties) return 0;
  // Keep the misspelled key as well: it costs nothing and a server copying the spec would still validate.
  properties[correct] = property;
  return 1;
}
