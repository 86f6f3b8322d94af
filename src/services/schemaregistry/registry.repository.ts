import type { ResourcesRepository, Scope, StoredResource } from '../../store/resources.repository.js';
import { isObject } from '../../xdm/component-lookup.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import { descriptorKind } from './registry-types.js';

/** A stored registry document (a tenant component or a descriptor) whose body has been checked to be a JSON object with its id. */
export type StoredXdmDocument = StoredResource & { body: JsonObject };

/**
 * The Schema Registry's stored documents: tenant components (schemas, classes, field groups, data types) and
 * descriptors. Their bodies are user-defined XDM, so the check is of the envelope the registry relies on: an
 * object that carries its own id (`$id`, or `@id` for a descriptor).
 *
 * @example
 * const documents = new RegistryRepository(new ResourcesRepository(db));
 * const schemas = await documents.list('xdm.schemas', scope);
 */
export class RegistryRepository {
  /** Over the store's resources, in whatever transaction they were opened (other services hand theirs in). */
  constructor(private readonly resources: ResourcesRepository) {}

  async get(kind: string, scope: Scope, id: string): Promise<StoredXdmDocument | undefined> {
    const stored = await this.resources.get(kind, scope, id);
    return stored ? storedXdmDocument(stored) : undefined;
  }

  /** The documents of one kind with these ids that exist, in the order `list` gives (by creation, then id). */
  async getMany(kind: string, scope: Scope, ids: readonly string[]): Promise<StoredXdmDocument[]> {
    const found = [...(await this.resources.getMany(kind, scope, ids)).values()].map(storedXdmDocument);
    return found.sort(byCreation);
  }

  /** Every document of one kind in the sandbox (the descriptor list, which has no pages, answers with them all). */
  async list(kind: string, scope: Scope): Promise<StoredXdmDocument[]> {
    return (await this.resources.list(kind, scope)).map(storedXdmDocument);
  }
}

/** The order the registry lists documents in: by creation, then id. */
export function byCreation(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A stored registry document, checked: a body of another shape is a store edited by hand, and fails loudly here. */
export function storedXdmDocument(stored: StoredResource): StoredXdmDocument {
  const body = stored.body;
  const idField = stored.kind === descriptorKind ? '@id' : '$id';
  if (!isObject(body) || typeof body[idField] !== 'string') throw new Error(`registry document ${stored.id} (${stored.kind}) is not an object with its ${idField}`);
  return { ...stored, body };
}
