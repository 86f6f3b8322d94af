import type { JsonObject } from '../../xdm/standard/json-value.js';
import { resolveFull } from '../../xdm/resolve-full.js';
import { stripText } from '../../xdm/strip-text.js';
import type { XedFormat } from './accept-header.js';
import type { RegistryView } from './registry.js';

/** What `xed-id` shows of a resource. */
export function summaryOf(doc: JsonObject): JsonObject {
  return { $id: doc.$id ?? null, 'meta:altId': doc['meta:altId'] ?? null, version: doc.version ?? '1.0', title: doc.title ?? null };
}

/** A resource as the Accept header asks: resolved (`full`), with its descriptors (`desc`), without text (`notext`). */
export function shape(doc: JsonObject, format: XedFormat, registry: RegistryView): JsonObject {
  let out = format.full ? resolveFull(doc, registry.lookup) : doc;
  if (format.desc) out = { ...out, 'meta:descriptors': registry.descriptors().filter((d) => d['xdm:sourceSchema'] === doc.$id) };
  if (format.notext) out = stripText(out);
  return out;
}
