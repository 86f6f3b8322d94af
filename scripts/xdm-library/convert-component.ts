/**
 * A standard component from XDM source form to the document the registry serves from its `global` container.
 */
import type { JsonObject } from '../../src/xdm/standard/json-value.js';
import type { XedDocument } from '../../src/xdm/standard/xed-document.js';
import { altIdOf } from '../../src/xdm/standard/xed-names.js';
import type { StandardResourceType } from './classify-component.js';
import { allOfEntry, convertNode, convertProperties } from './convert-node.js';
import { isJsonObject, type SourceComponent } from './source-component.js';

/** The JSON-LD plumbing every component starts with; XED has no prefixes to declare. */
const CONTEXT_DEFINITION = '@context';

/** Component-level facts that are not XDM's: its licence line (attributed once, in the README) and translation keys. */
const DROPPED_META = new Set(['meta:license', 'meta:titleId', 'meta:descriptionId', 'meta:createdDate']);

const kindNames: Readonly<Record<StandardResourceType, string>> = {
  classes: 'class',
  mixins: 'field group',
  datatypes: 'data type',
  behaviors: 'behavior',
};

function isContextRef(ref: string, id: string): boolean {
  return ref.endsWith(`#/definitions/${CONTEXT_DEFINITION}`) && (ref.startsWith('#') || ref.startsWith(id) || ref.startsWith('https://ns.adobe.com/xdm/common/extensible#'));
}

export function convertComponent(component: SourceComponent, resourceType: StandardResourceType): XedDocument {
  const { source, file } = component;
  const id = String(source.$id);
  const doc: XedDocument = {
    $id: id,
    'meta:altId': altIdOf(id),
    'meta:resourceType': resourceType,
    version: '1.0',
    title: typeof source.title === 'string' ? source.title : id,
    type: 'object',
    // Ours: a line built from the component's facts. XDM's descriptions are not copied (PROVENANCE.md).
    description: `Standard XDM ${kindNames[resourceType]}.`,
  };
  if (isJsonObject(source.definitions)) {
    const definitions: JsonObject = {};
    for (const [name, definition] of Object.entries(source.definitions)) {
      if (name === CONTEXT_DEFINITION || !isJsonObject(definition)) continue;
      definitions[name] = convertNode(definition, `${file}#/definitions/${name}`);
    }
    doc.definitions = definitions;
  }
  // Inline allOf entries at the top ({"required": [...]}, {"properties": {...}}) belong to the component itself.
  const allOf = Array.isArray(source.allOf) ? source.allOf : [];
  const inline = allOf.filter((entry): entry is JsonObject => isJsonObject(entry) && typeof entry.$ref !== 'string');
  const ownProperties = Object.assign({}, isJsonObject(source.properties) ? source.properties : {}, ...inline.map((e) => (isJsonObject(e.properties) ? e.properties : {}))) as JsonObject;
  const ownRequired = [source.required, ...inline.map((e) => e.required)].flatMap((list) => (Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : []));
  const converted = convertProperties(ownProperties, ownRequired, `${file}#/properties`);
  if (Object.keys(ownProperties).length > 0) doc.properties = converted.properties;
  const refs = allOf.filter((entry): entry is JsonObject => isJsonObject(entry) && typeof entry.$ref === 'string' && !isContextRef(entry.$ref, id));
  if (refs.length > 0) doc.allOf = refs.map((entry) => allOfEntry(entry, `${file}#/allOf`));
  // A required name whose field another component contributes can only require its top XED container here.
  if (converted.required.length > 0) doc.required = converted.required;
  doc['meta:extensible'] = source['meta:extensible'] ?? false;
  doc['meta:abstract'] = source['meta:abstract'] ?? false;
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('meta:') && !DROPPED_META.has(key) && !(key in doc)) doc[key] = value;
  }
  doc['meta:status'] = source['meta:status'] ?? 'stable';
  doc['meta:xdmType'] = 'object';
  doc['meta:containerId'] = 'global';
  return doc;
}
