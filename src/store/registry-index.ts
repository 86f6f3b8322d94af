import type { RegistryDocumentsTable, RegistryReferencesTable } from './database.js';
import type { IndexedResource, KindIndex } from './kind-index.js';
import { indexText } from './index-text.js';

/** The kinds the Schema Registry stores: its tenant components, then its descriptors. */
export const registryComponentKinds = ['xdm.schemas', 'xdm.classes', 'xdm.mixins', 'xdm.datatypes'] as const;
export const registryDescriptorKind = 'xdm.descriptors';

/** How much of a title decides its place: two titles alike in their first 200 bytes (folded) tie, and sort by id. */
const titleKeyBytes = 200;

/**
 * Where a title sorts in the registry's lists: folded (compatibility decomposition, accents dropped, lower case),
 * then spelled as the hex of its UTF-8 bytes. Hex text sorts the same under any collation of either database and
 * under JavaScript's `<`, so SQL and the in-memory lists agree on the order and on where a `start` resumes.
 */
export function titleSortKey(title: string): string {
  const folded = title.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return Buffer.from(folded, 'utf8').subarray(0, titleKeyBytes).toString('hex');
}

/** Whether a schema is enabled for Profile: its `meta:immutableTags` holds `union`, which makes it a union member. */
function unionMember(body: Record<string, unknown>): boolean {
  const tags = body['meta:immutableTags'];
  return Array.isArray(tags) && tags.includes('union');
}

/**
 * The index row of a registry document, read leniently from its body as the migration that backfills them does:
 * a component's `meta:altId` and title key, a descriptor's `xdm:sourceSchema`, a union member schema's class.
 */
export function registryDocumentRow(scope: { orgId: string; sandboxId: string }, kind: string, document: IndexedResource): RegistryDocumentsTable {
  const body = document.body !== null && typeof document.body === 'object' ? (document.body as Record<string, unknown>) : {};
  const descriptor = kind === registryDescriptorKind;
  return {
    org_id: scope.orgId,
    sandbox_id: scope.sandboxId,
    kind,
    id: document.id,
    alt_id: descriptor ? null : indexText(body['meta:altId']),
    title_key: !descriptor && typeof body.title === 'string' ? titleSortKey(body.title) : null,
    source_schema: descriptor ? indexText(body['xdm:sourceSchema']) : null,
    union_class: kind === 'xdm.schemas' && unionMember(body) ? indexText(body['meta:class']) : null,
  };
}

/** Every `https://` id a value mentions anywhere, without its `#` fragment: the components a registry document names. */
export function httpsIdsIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string' && value.startsWith('https://')) out.add(value.split('#')[0] as string);
  else if (Array.isArray(value)) value.forEach((v) => httpsIdsIn(v, out));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => httpsIdsIn(v, out));
  return out;
}

/** The longest id a reference row holds (its column's size); no component id comes near it. */
const maxReferencedId = 512;

/**
 * The ids a registry document names, one row each, so the documents that use a component are found without
 * reading every body: every `https://` id a component mentions (in `$ref`, `meta:class`, `meta:extends`, ...,
 * without its `#` fragment), and a descriptor's `xdm:destinationSchema`.
 */
export function registryReferenceRows(scope: { orgId: string; sandboxId: string }, kind: string, document: IndexedResource): RegistryReferencesTable[] {
  const body = document.body;
  const named = kind !== registryDescriptorKind ? httpsIdsIn(body) : new Set<string>();
  const destination = kind === registryDescriptorKind && body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['xdm:destinationSchema'] : undefined;
  if (typeof destination === 'string') named.add(destination);
  named.delete(document.id);
  return [...named]
    .filter((id) => id.length <= maxReferencedId && indexText(id) !== null)
    .map((referenced_id) => ({ org_id: scope.orgId, sandbox_id: scope.sandboxId, kind, id: document.id, referenced_id }));
}

/** Rows per insert of a document's references: a schema may name many components. */
const referencesPerInsert = 100;

/** The row and reference rows of one registry document, rewritten on every write (an update may change them). */
export function registryIndex(kind: string): KindIndex {
  return {
    async write(trx, scope, document) {
      await this.remove(trx, scope, document.id);
      await trx.insertInto('registry_documents').values(registryDocumentRow(scope, kind, document)).execute();
      const references = registryReferenceRows(scope, kind, document);
      for (let i = 0; i < references.length; i += referencesPerInsert) await trx.insertInto('registry_references').values(references.slice(i, i + referencesPerInsert)).execute();
    },
    async remove(trx, scope, id) {
      await trx.deleteFrom('registry_references').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('kind', '=', kind).where('id', '=', id).execute();
      await trx.deleteFrom('registry_documents').where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('kind', '=', kind).where('id', '=', id).execute();
    },
  };
}
