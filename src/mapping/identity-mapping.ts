import { isObject } from '../xdm/component-lookup.js';
import type { JsonObject } from '../xdm/standard/json-value.js';
import type { SourceColumn } from './compile-mapping.js';
import type { MappingRule } from './mapping-rule.js';

/**
 * The mapping of data that is already XDM-shaped (batch ingestion, streamed XDM): every field onto itself.
 * Objects are mapped leaf by leaf, so each value is type-checked against the schema; arrays and maps are taken
 * whole. Input fields the schema does not have, at the top or inside an object, are returned as `unknown`
 * (dotted paths), for the caller to refuse.
 */
export function identityRules(schema: JsonObject, columns: SourceColumn[]): { rules: MappingRule[]; unknown: string[] } {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const rules: MappingRule[] = [];
  const unknown: string[] = [];
  for (const column of columns) {
    const field = properties[column.name];
    if (!isObject(field)) unknown.push(column.name);
    else rules.push(...leafRules(field, column.name, column.type, unknown));
  }
  return { rules, unknown };
}

function leafRules(field: JsonObject, path: string, duckType: string | undefined, unknown: string[]): MappingRule[] {
  const properties = isObject(field.properties) ? field.properties : undefined;
  // Descend only where the input is a struct too; a flat value for an object field fails its own check.
  if (properties && (duckType === undefined || duckType.toUpperCase().startsWith('STRUCT'))) {
    const present = duckType ? structFields(duckType) : undefined;
    for (const name of present?.keys() ?? []) if (!isObject(properties[name])) unknown.push(`${path}.${name}`);
    return Object.entries(properties).flatMap(([name, child]) =>
      isObject(child) && (present === undefined || present.has(name)) ? leafRules(child, `${path}.${name}`, present?.get(name), unknown) : [],
    );
  }
  return [{ sourceType: 'ATTRIBUTE', source: path, destination: path, identity: false, identityGroup: null, namespaceCode: null, primaryIdentity: false }];
}

/** The fields of a DuckDB `STRUCT(a VARCHAR, b STRUCT(c INTEGER))` type, with their types. */
function structFields(type: string): Map<string, string> {
  const inner = type.trim().replace(/^STRUCT\(/i, '').replace(/\)$/, '');
  const fields = new Map<string, string>();
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= inner.length; i += 1) {
    const char = inner[i];
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if ((char === ',' && depth === 0) || i === inner.length) {
      const part = inner.slice(start, i).trim();
      const match = /^("(?:[^"]|"")*"|\S+)\s+(.+)$/.exec(part);
      if (match?.[1] && match[2]) fields.set(match[1].replace(/^"|"$/g, '').replaceAll('""', '"'), match[2]);
      start = i + 1;
    }
  }
  return fields;
}
