import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import type { RegistryDocumentsRepository } from './registry-documents.repository.js';
import { storedXdmDocument } from './registry.repository.js';

/**
 * The `$id` of the component of `kind` in the sandbox titled exactly `title` (other than `except`), if any. Titles
 * are unique per kind in a sandbox: the documents whose title folds to the same sort key are read from the index,
 * and compared exactly.
 */
export async function titleHolder(resources: ResourcesRepository, index: RegistryDocumentsRepository, scope: Scope, kind: string, title: unknown, except?: unknown): Promise<string | undefined> {
  if (typeof title !== 'string') return undefined;
  const alike = await resources.getMany(kind, scope, await index.titledAlike(kind, scope, title));
  return [...alike.values()].find((stored) => stored.id !== except && storedXdmDocument(stored).body.title === title)?.id;
}
