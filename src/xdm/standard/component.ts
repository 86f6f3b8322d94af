/**
 * Component builders: `xdmClass`, `behavior`, `fieldGroup`, `dataType` turn a typed spec into the
 * XED document the Schema Registry serves from its `global` container.
 */
import type { Properties } from './field.js';
import type { JsonObject } from './json-value.js';
import { renderProperties, renderRequired } from './render-field.js';
import type { XedDocument } from './xed-document.js';
import { altIdOf } from './xed-names.js';

/** A named group of fields inside a component, pulled into it through `allOf`. */
export type Definition = {
  readonly title?: string;
  readonly description?: string;
  readonly properties: Properties;
  readonly required?: readonly string[];
};

export function definition(properties: Properties, options: Omit<Definition, 'properties'> = {}): Definition {
  return { ...options, properties };
}

export type ComponentSpec = {
  readonly id: string;
  readonly title: string;
  /** Ours, one line: XDM's prose is not copied. */
  readonly description: string;
  readonly status: 'stable' | 'experimental' | 'deprecated';
  /** Absent in the source means false, which is what the registry reports for it. */
  readonly extensible?: boolean;
  readonly abstract?: boolean;
  /** `$id`s of the behaviors, classes and mixins this component builds on (`meta:extends`). */
  readonly extends?: readonly string[];
  readonly tags?: Readonly<Record<string, readonly string[]>>;
  readonly definitions?: Readonly<Record<string, Definition>>;
  /** For components whose fields sit at the top level rather than in definitions. */
  readonly properties?: Properties;
  /**
   * What the component is made of: its own definitions (`#/definitions/x`) and other components.
   * The JSON-LD `@context` of `common/extensible` is left out: XED has no prefixes to declare.
   */
  readonly allOf?: readonly string[];
  readonly required?: readonly string[];
};

export type FieldGroupSpec = ComponentSpec & {
  /** Classes a schema must be based on to use this field group; may be empty (any class). */
  readonly intendedToExtend: readonly string[];
};

type ResourceType = 'classes' | 'behaviors' | 'mixins' | 'datatypes';

const OBJECT = { type: 'object', 'meta:xdmType': 'object' } as const;

function renderDefinition(d: Definition): JsonObject {
  const out: JsonObject = {};
  if (d.title !== undefined) out.title = d.title;
  if (d.description !== undefined) out.description = d.description;
  Object.assign(out, OBJECT, { properties: renderProperties(d.properties) });
  const required = renderRequired(d.required);
  if (required !== undefined) out.required = required;
  return out;
}

/** A local `allOf` entry naming a missing definition would only fail later, inside the registry. */
function checkLocalRefs(spec: ComponentSpec): void {
  for (const ref of spec.allOf ?? []) {
    const local = /^#\/definitions\/(.+)$/.exec(ref);
    if (local?.[1] !== undefined && !(local[1] in (spec.definitions ?? {}))) {
      throw new Error(`${spec.id}: allOf names missing definition ${local[1]}`);
    }
  }
}

function component(resourceType: ResourceType, spec: ComponentSpec, intendedToExtend?: readonly string[]): XedDocument {
  checkLocalRefs(spec);
  const doc: XedDocument = {
    $id: spec.id,
    'meta:altId': altIdOf(spec.id),
    'meta:resourceType': resourceType,
    version: '1.0',
    title: spec.title,
    type: 'object',
    description: spec.description,
  };
  if (spec.definitions !== undefined) {
    const definitions: JsonObject = {};
    for (const [name, d] of Object.entries(spec.definitions)) definitions[name] = renderDefinition(d);
    doc.definitions = definitions;
  }
  if (spec.properties !== undefined) doc.properties = renderProperties(spec.properties);
  if (spec.allOf !== undefined && spec.allOf.length > 0) {
    doc.allOf = spec.allOf.map((ref) => ({ $ref: ref, ...OBJECT }));
  }
  const required = renderRequired(spec.required);
  if (required !== undefined) doc.required = required;
  doc['meta:extensible'] = spec.extensible ?? false;
  doc['meta:abstract'] = spec.abstract ?? false;
  if (spec.extends !== undefined) doc['meta:extends'] = [...spec.extends];
  if (intendedToExtend !== undefined) doc['meta:intendedToExtend'] = [...intendedToExtend];
  if (spec.tags !== undefined) {
    doc['meta:tags'] = Object.fromEntries(Object.entries(spec.tags).map(([k, v]) => [k, [...v]]));
  }
  doc['meta:status'] = spec.status;
  doc['meta:xdmType'] = 'object';
  doc['meta:containerId'] = 'global';
  return doc;
}

export function xdmClass(spec: ComponentSpec): XedDocument {
  return component('classes', spec);
}

export function behavior(spec: ComponentSpec): XedDocument {
  return component('behaviors', spec);
}

/** A field group; the registry's API still calls these `mixins`. */
export function fieldGroup(spec: FieldGroupSpec): XedDocument {
  const { intendedToExtend, ...rest } = spec;
  return component('mixins', rest, intendedToExtend);
}

export function dataType(spec: ComponentSpec): XedDocument {
  return component('datatypes', spec);
}
