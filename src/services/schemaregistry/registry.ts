import { isObject, type ComponentLookup } from '../../xdm/component-lookup.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import { findStandard, standardComponents } from '../../xdm/standard/standard-library.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import { httpsIdsIn } from '../../store/registry-index.js';
import { RegistryDocumentsRepository } from './registry-documents.repository.js';
import { RegistryRepository, type StoredXdmDocument } from './registry.repository.js';
import { descriptorKind, schemaKind, tenantKinds } from './registry-types.js';
import { classOfUnion, unionDocument, unionMembers, type UnionContext } from './unions.js';

export interface RegistryEntry {
  doc: JsonObject;
  container: 'global' | 'tenant';
  stored?: StoredXdmDocument;
}

/**
 * What presenting documents needs of the registry: the components they build on, and their descriptors. A view
 * loaded `around` some documents answers for those alone, not for the whole sandbox.
 */
export type RegistryView = Pick<Registry, 'lookup' | 'find' | 'descriptors' | 'lookupWith'>;

/** A view that also answers for unions: every union member schema of the sandbox and what those build on. */
export type UnionsView = RegistryView & Pick<Registry, 'unions' | 'findUnion'>;

/** A view for an update: also answers which of its schemas build on a component (`tenantOf`, `dependsOn`). */
export type UpdateView = RegistryView & Pick<Registry, 'tenantOf' | 'dependsOn'>;

/** The org and sandbox a union document names. */
export type UnionOwner = Omit<UnionContext, 'lookup'>;

/**
 * One sandbox's view of the registry: the standard library plus the tenant's own components, loaded once per
 * request so that schema resolution can follow references synchronously.
 */
export class Registry {
  private constructor(
    private readonly tenant: Map<string, StoredXdmDocument>,
    private readonly descriptorRows: StoredXdmDocument[],
  ) {}

  /**
   * A view of `roots` and, if asked, every tenant component they build on, directly or through each other, and the
   * descriptors of the roots: read through the registry's index instead of loading the sandbox's every document.
   * Each round loads the components the last round's documents name that are not loaded yet, so it ends once a
   * round finds none new: after at most as many rounds as the sandbox has components.
   */
  static async around(resources: ResourcesRepository, index: RegistryDocumentsRepository, scope: Scope, roots: StoredXdmDocument[], options: { resolve: boolean; descriptors: boolean }): Promise<RegistryView> {
    return Registry.gather(resources, index, scope, roots, options);
  }

  /** As `around`, as a registry of the documents gathered: its whole-registry answers cover those alone. */
  private static async gather(resources: ResourcesRepository, index: RegistryDocumentsRepository, scope: Scope, roots: StoredXdmDocument[], options: { resolve: boolean; descriptors: boolean }): Promise<Registry> {
    const tenant = new Map(roots.map((root) => [root.id, root]));
    let frontier = options.resolve ? roots : [];
    while (frontier.length > 0) {
      const named = [...new Set(frontier.flatMap((document) => [...httpsIdsIn(document.body)]))].filter((id) => !tenant.has(id));
      const hits = [...(await index.kindsOf(scope, tenantKinds, named))].map(([id, kind]) => ({ kind, id }));
      frontier = await Registry.documentsOf(resources, scope, hits);
      for (const document of frontier) tenant.set(document.id, document);
    }
    const descriptorIds = options.descriptors ? await index.descriptorIds(scope, descriptorKind, roots.map((root) => root.id)) : [];
    const descriptors = await new RegistryRepository(resources).getMany(descriptorKind, scope, descriptorIds);
    return new Registry(tenant, descriptors);
  }

  /**
   * The schemas these `$id`s or `meta:altId`s name, each with every tenant component it builds on (see `around`),
   * and, if asked, their descriptors.
   */
  static async ofSchemas(resources: ResourcesRepository, scope: Scope, idsOrAltIds: readonly string[], options: { descriptors: boolean } = { descriptors: false }): Promise<RegistryView> {
    const index = new RegistryDocumentsRepository(resources.db);
    const roots = await Registry.documentsOf(resources, scope, [...(await index.findMany(scope, [schemaKind], idsOrAltIds)).values()]);
    return Registry.around(resources, index, scope, roots, { resolve: true, descriptors: options.descriptors });
  }

  /** The tenant component this `$id` or `meta:altId` names (of any kind), with everything it builds on. */
  static async ofComponent(resources: ResourcesRepository, scope: Scope, idOrAltId: string): Promise<RegistryView> {
    const index = new RegistryDocumentsRepository(resources.db);
    const hit = await index.find(scope, tenantKinds, idOrAltId);
    return Registry.around(resources, index, scope, await Registry.documentsOf(resources, scope, hit ? [hit] : []), { resolve: true, descriptors: false });
  }

  /**
   * A view for updating `existing` to `body`: the component, every schema built on it (found through the reference
   * rows) and what the new body names, each with what it builds on, and their descriptors. Its `tenantOf` lists
   * those schemas, which are all an update can break.
   */
  static async forUpdate(resources: ResourcesRepository, scope: Scope, existing: StoredXdmDocument, body: unknown): Promise<UpdateView> {
    const index = new RegistryDocumentsRepository(resources.db);
    const schemas = (await index.dependents(scope, tenantKinds, existing.id)).filter((hit) => hit.kind === schemaKind);
    const named = [...(await index.findMany(scope, tenantKinds, [...namedIds(body)])).values()];
    const roots = [existing, ...(await Registry.documentsOf(resources, scope, [...schemas, ...named]))];
    return Registry.gather(resources, index, scope, roots, { resolve: true, descriptors: true });
  }

  /**
   * A view for checking a new component's body: the components it names (by `$id`, or by `meta:altId` where a
   * `$ref`, `meta:class` or `meta:intendedToExtend` names one) and everything they build on; with `descriptors`, the
   * descriptors of the components named (an import that meets a Profile schema already there checks it with them).
   */
  static async forBody(resources: ResourcesRepository, scope: Scope, body: unknown, options: { descriptors: boolean } = { descriptors: false }): Promise<RegistryView> {
    const index = new RegistryDocumentsRepository(resources.db);
    const hits = [...(await index.findMany(scope, tenantKinds, [...namedIds(body)])).values()];
    return Registry.around(resources, index, scope, await Registry.documentsOf(resources, scope, hits), { resolve: true, descriptors: options.descriptors });
  }

  /** The documents these index hits name, read a kind at a time, in list order within each kind. */
  private static async documentsOf(resources: ResourcesRepository, scope: Scope, hits: readonly { kind: string; id: string }[]): Promise<StoredXdmDocument[]> {
    const documents = new RegistryRepository(resources);
    const found: StoredXdmDocument[] = [];
    for (const kind of new Set(hits.map((hit) => hit.kind))) {
      found.push(...(await documents.getMany(kind, scope, hits.filter((hit) => hit.kind === kind).map((hit) => hit.id))));
    }
    return found;
  }

  /** A view of the standard library alone: for the global container, which names nothing of a sandbox. */
  static standardOnly(): RegistryView {
    return new Registry(new Map(), []);
  }

  /** The sandbox's union member schemas (Profile-enabled, found by their index rows) and what they build on. */
  static async ofUnions(resources: ResourcesRepository, scope: Scope): Promise<UnionsView> {
    const index = new RegistryDocumentsRepository(resources.db);
    // In list order (created, then id), which decides the order of a union's parts.
    const members = await new RegistryRepository(resources).getMany(schemaKind, scope, await index.unionMemberIds(scope, schemaKind));
    // `unions()` reads the member schemas among the documents gathered.
    return Registry.gather(resources, index, scope, members, { resolve: true, descriptors: false });
  }

  descriptors(): JsonObject[] {
    return this.descriptorRows.map((d) => d.body);
  }

  readonly lookup: ComponentLookup = (id) => {
    const stored = this.tenant.get(id);
    return stored ? stored.body : findStandard(id);
  };

  /** By `$id` or `meta:altId`, optionally only of one resource type. */
  find(idOrAltId: string, resourceType?: string): RegistryEntry | undefined {
    const id = this.idOf(idOrAltId);
    const stored = id ? this.tenant.get(id) : undefined;
    const entry: RegistryEntry | undefined = stored
      ? { doc: stored.body, container: 'tenant', stored }
      : (() => {
          const standard = findStandard(idOrAltId);
          return standard ? { doc: standard, container: 'global' as const } : undefined;
        })();
    if (!entry) return undefined;
    if (resourceType && entry.doc['meta:resourceType'] !== resourceType) return undefined;
    return entry;
  }

  /** The union of each class that has schemas enabled for Profile, derived from those schemas. */
  unions(owner: UnionOwner): JsonObject[] {
    const context: UnionContext = { ...owner, lookup: this.lookup };
    return [...unionMembers(this.tenantOf(schemaKind).map((s) => s.body))].map(([classId, members]) => unionDocument(classId, members, context));
  }

  /** A union by `$id` or `meta:altId` (`…__union`), if its class has members. */
  findUnion(idOrAltId: string, owner: UnionOwner): JsonObject | undefined {
    const classRef = classOfUnion(idOrAltId);
    if (classRef === undefined) return undefined;
    const classId = this.find(classRef, 'classes')?.doc.$id;
    return this.unions(owner).find((union) => union['meta:class'] === classId);
  }

  tenantOf(kind: string): StoredXdmDocument[] {
    return [...this.tenant.values()].filter((s) => s.kind === kind);
  }

  globalOf(resourceType: string): JsonObject[] {
    return standardComponents(resourceType);
  }

  /** Whether resolving `doc` reads component `id`, directly or through other tenant components. */
  dependsOn(doc: JsonObject, id: string, seen: Set<string> = new Set()): boolean {
    if (mentions(doc, id)) return true;
    for (const ref of httpsIdsIn(doc)) {
      const stored = this.tenant.get(ref);
      if (!stored || seen.has(ref)) continue;
      seen.add(ref);
      if (this.dependsOn(stored.body, id, seen)) return true;
    }
    return false;
  }

  /** This registry's lookup with one component replaced, to see what an update would resolve to. */
  lookupWith(doc: JsonObject): ComponentLookup {
    return (id) => (id === doc.$id ? doc : this.lookup(id));
  }

  private idOf(idOrAltId: string): string | undefined {
    if (this.tenant.has(idOrAltId)) return idOrAltId;
    for (const stored of this.tenant.values()) {
      if (stored.body['meta:altId'] === idOrAltId) return stored.id;
    }
    return undefined;
  }
}

function mentions(value: unknown, id: string): boolean {
  if (typeof value === 'string') return value === id || value.startsWith(`${id}#`);
  if (Array.isArray(value)) return value.some((v) => mentions(v, id));
  if (isObject(value)) return Object.values(value).some((v) => mentions(v, id));
  return false;
}

/** What a body may name a component by: any `https://` id it mentions, and the values of the keys that take an altId too. */
function namedIds(value: unknown, out: Set<string> = httpsIdsIn(value)): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => namedIds(v, out));
  else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' || key === 'meta:class') {
        // A `#/definitions/...` reference names the body itself.
        if (typeof v === 'string' && !v.startsWith('#')) out.add(v.split('#')[0] as string);
      } else if (key === 'meta:intendedToExtend' && Array.isArray(v)) {
        for (const id of v) if (typeof id === 'string') out.add(id);
      }
      namedIds(v, out);
    }
  }
  return out;
}
