import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/database.js';
import { indexText } from '../../store/index-text.js';
import { titleSortKey } from '../../store/registry-index.js';
import type { Scope } from '../../store/resources.repository.js';

/** Where a title-ordered page starts, and how long it is (a hint: a page never ends inside a run of equal titles). */
export interface TitlePageRequest {
  descending: boolean;
  /** The title to resume at, inclusively (the `_page.next` of the page before). */
  start?: string;
  limit: number;
}

/** The ids of one page in order, and the id of the first document after it, if any. */
export interface TitlePage {
  ids: string[];
  after: string | undefined;
}

type Row = { id: string; title_key: string | null };

/** How many ids one query binds. */
const idsPerQuery = 500;

/**
 * The Schema Registry's index rows (`registry_documents`, written by the store with every write of a component or
 * descriptor): pages of a kind in title order, the component an `meta:altId` names, the kinds of referenced ids and
 * a schema's descriptors, each read without a body.
 *
 * The order is the one `registryListResponse` keeps in memory: the title key (`titleSortKey`) ascending or
 * descending, documents without a title after (ascending) or before (descending) the rest, ties by id.
 */
export class RegistryDocumentsRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  async titlePage(kind: string, scope: Scope, request: TitlePageRequest): Promise<TitlePage> {
    const { descending } = request;
    const rows: Row[] = await this.fromStart(kind, scope, request).limit(request.limit).execute();
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < request.limit) return { ids: rows.map((r) => r.id), after: undefined };
    // The rest of the run of documents whose title key equals the last one's: `start` could not resume inside it.
    const tie = await this.scoped(kind, scope)
      .where('title_key', last.title_key === null ? 'is' : '=', last.title_key)
      .where('id', '>', last.id)
      .orderBy('id')
      .execute();
    rows.push(...tie);
    const after = await this.after(kind, scope, descending, last.title_key);
    // Documents without a title have no value to resume at: they all come on this page (they sort last ascending).
    if (after !== undefined && after.title_key === null) {
      const untitled = await this.scoped(kind, scope).where('title_key', 'is', null).orderBy('id').execute();
      return { ids: [...rows.map((r) => r.id), ...untitled.map((r) => r.id)], after: undefined };
    }
    return { ids: rows.map((r) => r.id), after: after?.id };
  }

  /**
   * The ids of a stretch of the kind in title order, from `start` (inclusively) on, skipping `offset`: a filtered
   * list reads its candidates so, a stretch at a time, until its page is full. A document written between two
   * stretches may be seen twice or not at all, as in any list read while it changes.
   */
  async titleStretch(kind: string, scope: Scope, request: { descending: boolean; start?: string }, offset: number, count: number): Promise<string[]> {
    const rows = await this.fromStart(kind, scope, request)
      .offset(offset)
      .limit(count)
      .execute();
    return rows.map((row) => row.id);
  }

  /** The ids of the documents of a kind whose title folds to the same sort key as `title` (a title is unique per kind). */
  async titledAlike(kind: string, scope: Scope, title: string): Promise<string[]> {
    return (await this.scoped(kind, scope).where('title_key', '=', titleSortKey(title)).execute()).map((row) => row.id);
  }

  /** The ids of the schemas enabled for Profile (union members), of any class. */
  async unionMemberIds(scope: Scope, schemaKind: string): Promise<string[]> {
    return (await this.scoped(schemaKind, scope).where('union_class', 'is not', null).orderBy('id').execute()).map((row) => row.id);
  }

  /** The documents that name `id` (a component that builds on it, a descriptor whose destination it is), by kind then id. */
  async referencing(scope: Scope, id: string): Promise<{ kind: string; id: string }[]> {
    if (indexText(id) === null) return [];
    return this.db
      .selectFrom('registry_references')
      .select(['kind', 'id'])
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where('referenced_id', '=', id)
      .orderBy('kind')
      .orderBy('id')
      .execute();
  }

  /**
   * The components of `kinds` that build on `id`, directly or through one another, found by walking the reference
   * rows backwards. Each round asks for the users of the last round's new ids, so it ends once a round finds none
   * new: after at most as many rounds as the sandbox has components.
   */
  async dependents(scope: Scope, kinds: readonly string[], id: string): Promise<{ kind: string; id: string }[]> {
    const found = new Map<string, string>();
    let frontier = indexText(id) === null ? [] : [id];
    while (frontier.length > 0) {
      const next: string[] = [];
      const rows = await inChunks(frontier, (chunk) =>
        this.db.selectFrom('registry_references').select(['kind', 'id']).where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('kind', 'in', kinds).where('referenced_id', 'in', chunk).execute(),
      );
      for (const row of rows) {
        if (row.id === id || found.has(row.id)) continue;
        found.set(row.id, row.kind);
        next.push(row.id);
      }
      frontier = next;
    }
    return [...found].map(([dependent, kind]) => ({ kind, id: dependent }));
  }

  /** How many unions the sandbox has: one per class with a schema enabled for Profile. */
  async unionCount(scope: Scope, schemaKind: string): Promise<number> {
    const row = await this.db
      .selectFrom('registry_documents')
      .select((eb) => eb.fn.count<number>('union_class').distinct().as('n'))
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where('kind', '=', schemaKind)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The component of one of `kinds` with this `$id` or, failing that, this `meta:altId`. */
  async find(scope: Scope, kinds: readonly string[], idOrAltId: string): Promise<{ kind: string; id: string } | undefined> {
    return (await this.findMany(scope, kinds, [idOrAltId])).get(idOrAltId);
  }

  /** For each of these `$id`s or `meta:altId`s that names a component of one of `kinds`, that component. */
  async findMany(scope: Scope, kinds: readonly string[], idsOrAltIds: readonly string[]): Promise<Map<string, { kind: string; id: string }>> {
    const found = new Map<string, { kind: string; id: string }>();
    const rows = await inChunks(idsOrAltIds, (names) =>
      this.db.selectFrom('registry_documents').select(['kind', 'id', 'alt_id']).where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('kind', 'in', kinds).where((w) => w.or([w('id', 'in', names), w('alt_id', 'in', names)])).execute(),
    );
    // An `$id` decides over an `meta:altId` that happens to spell it.
    for (const row of rows) if (row.alt_id !== null && !found.has(row.alt_id)) found.set(row.alt_id, { kind: row.kind, id: row.id });
    for (const row of rows) found.set(row.id, { kind: row.kind, id: row.id });
    return found;
  }

  /** The kind of each of these ids that is a document of the sandbox. */
  async kindsOf(scope: Scope, kinds: readonly string[], ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await inChunks(ids, (chunk) =>
      this.db.selectFrom('registry_documents').select(['kind', 'id']).where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('kind', 'in', kinds).where('id', 'in', chunk).execute(),
    );
    return new Map(rows.map((row) => [row.id, row.kind]));
  }

  /** The ids of the descriptors whose `xdm:sourceSchema` is one of these schemas. */
  async descriptorIds(scope: Scope, descriptorKind: string, schemaIds: readonly string[]): Promise<string[]> {
    const rows = await inChunks(schemaIds, (chunk) => this.scoped(descriptorKind, scope).where('source_schema', 'in', chunk).orderBy('id').execute());
    return rows.map((row) => row.id);
  }

  private scoped(kind: string, scope: Scope) {
    return this.db.selectFrom('registry_documents').select(['id', 'title_key']).where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('kind', '=', kind);
  }

  /** The kind in title order from `start` on: keys at or past it, and (ascending) the untitled, which sort last. */
  private fromStart(kind: string, scope: Scope, request: { descending: boolean; start?: string }) {
    const query = this.ordered(kind, scope, request.descending);
    if (request.start === undefined) return query;
    const startKey = titleSortKey(request.start);
    return query.where((w) => (request.descending ? w('title_key', '<=', startKey) : w.or([w('title_key', '>=', startKey), w('title_key', 'is', null)])));
  }

  /** Titled documents in key order, untitled ones after them ascending and before them descending; ties by id. */
  private ordered(kind: string, scope: Scope, descending: boolean) {
    const direction = descending ? 'desc' : 'asc';
    return this.scoped(kind, scope)
      .orderBy((eb) => eb.case().when('title_key', 'is', null).then(1).else(0).end(), direction)
      .orderBy('title_key', direction)
      .orderBy('id');
  }

  /** The first document past a page whose last title key is `lastKey`. */
  private async after(kind: string, scope: Scope, descending: boolean, lastKey: string | null): Promise<Row | undefined> {
    const query = this.ordered(kind, scope, descending).limit(1);
    if (lastKey === null) {
      // Untitled documents come last ascending (the run took them all), first descending (the titled follow).
      return descending ? query.where('title_key', 'is not', null).executeTakeFirst() : undefined;
    }
    return (descending ? query.where('title_key', '<', lastKey) : query.where((w) => w.or([w('title_key', '>', lastKey), w('title_key', 'is', null)]))).executeTakeFirst();
  }
}

/**
 * `query` over the distinct values among `values` that an index row can hold (see `indexText`), 500 bound values
 * at a time (well under both backends' limits on bound parameters), its rows together.
 */
async function inChunks<T>(values: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(values)].filter((value) => indexText(value) !== null);
  const rows: T[] = [];
  for (let i = 0; i < unique.length; i += idsPerQuery) rows.push(...(await query(unique.slice(i, i + idsPerQuery))));
  return rows;
}
