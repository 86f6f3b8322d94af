import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import { resolveFull } from '../../xdm/resolve-full.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import { Registry } from './registry.js';

/** A schema as other services need it: its stored form and its fully resolved field tree. */
export interface ResolvedSchema {
  id: string;
  version: string;
  title: string;
  doc: JsonObject;
  full: JsonObject;
}

export async function loadSchema(repo: ResourcesRepository, scope: Scope, idOrAltId: string): Promise<ResolvedSchema | undefined> {
  const registry = await Registry.ofSchemas(repo, scope, [idOrAltId]);
  const entry = registry.find(idOrAltId, 'schemas');
  if (!entry) return undefined;
  return {
    id: String(entry.doc.$id),
    version: String(entry.doc.version),
    title: String(entry.doc.title),
    doc: entry.doc,
    full: resolveFull(entry.doc, registry.lookup),
  };
}
