import type { Container, RegistryKind } from '../../api/schema-registry.js';

/** The kinds the Schemas screen browses, in the order of its tabs, with the words it uses for them. */
export const kinds: readonly { kind: RegistryKind; plural: string; one: string }[] = [
  { kind: 'schemas', plural: 'Schemas', one: 'schema' },
  { kind: 'classes', plural: 'Classes', one: 'class' },
  { kind: 'fieldgroups', plural: 'Field groups', one: 'field group' },
  { kind: 'datatypes', plural: 'Data types', one: 'data type' },
];

export const containerNames: Record<Container, string> = { global: 'Standard library', tenant: 'This sandbox' };

export function kindOf(segment: string): (typeof kinds)[number] | undefined {
  return kinds.find((k) => k.kind === segment);
}

export function containerOf(segment: string): Container | undefined {
  return segment === 'global' || segment === 'tenant' ? segment : undefined;
}

/** The console's page for a resource (its `meta:altId` is URL-safe, where its `$id` is a URL). */
export function resourceHref(container: Container, kind: RegistryKind, altId: string): string {
  return `/schemas/${container}/${kind}/${encodeURIComponent(altId)}`;
}
