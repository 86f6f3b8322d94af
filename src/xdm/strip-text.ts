import type { JsonObject, JsonValue } from './standard/json-value.js';
import { isObject } from './component-lookup.js';

const textKeys = new Set(['title', 'description', 'meta:titleId', 'meta:descriptionId']);

/** The `-notext` forms: the same document without titles and descriptions, at every level. */
export function stripText(doc: JsonObject): JsonObject {
  return strip(doc) as JsonObject;
}

function strip(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(strip);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    // Inside `properties` the keys are field names, which may be called "title" or "description".
    if (textKeys.has(key) && typeof child === 'string') continue;
    out[key] = key === 'properties' && isObject(child) ? mapValues(child) : strip(child);
  }
  return out;
}

function mapValues(properties: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(properties).map(([name, field]) => [name, strip(field)]));
}
