import { request, type Scope } from './client.js';

/** The Schema Registry's base path. */
export const schemaRegistry = '/data/foundation/schemaregistry';

/** `global`: the standard XDM library; `tenant`: the sandbox's own resources. */
export type Container = 'global' | 'tenant';

/** The resource kinds the console browses, by the path segment the registry uses. */
export type RegistryKind = 'schemas' | 'classes' | 'fieldgroups' | 'datatypes';

/** How a lookup asks for a resource with every reference resolved into one tree of fields. */
export const xedFull = 'application/vnd.adobe.xed-full+json; version=1';
/** A resource as stored (its `allOf` references kept), with its `meta:` facts. */
export const xedPlain = 'application/vnd.adobe.xed+json; version=1';
/** Summaries: `$id`, `meta:altId`, `version` and `title` only. */
const xedId = 'application/vnd.adobe.xed-id+json';

/** What a list shows of a resource (`xed-id`). */
export interface ResourceSummary {
  $id: string;
  'meta:altId': string;
  version?: string;
  title?: string;
}

/** One page of a registry list; `next` is the sort value the next page starts at (`_page.next`). */
export interface RegistryPage {
  results: ResourceSummary[];
  next: string | null;
}

interface ListAnswer {
  results?: ResourceSummary[];
  _page?: { next?: string | null };
}

function listPath(container: Container, kind: RegistryKind, query: { start?: string | undefined; limit?: number; filters?: string[] }): string {
  const params = new URLSearchParams({ orderby: 'title' });
  if (query.start !== undefined) params.set('start', query.start);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  for (const filter of query.filters ?? []) params.append('property', filter);
  return `${schemaRegistry}/${container}/${kind}?${params.toString()}`;
}

/** One page of summaries, by title, resuming at `start` (the registry's own paging). */
export async function readRegistryPage(
  scope: Scope,
  container: Container,
  kind: RegistryKind,
  query: { start?: string | undefined; limit?: number; filters?: string[] },
  signal?: AbortSignal,
): Promise<RegistryPage> {
  const body = await request<ListAnswer>(scope, 'GET', listPath(container, kind, query), { accept: xedId, ...(signal ? { signal } : {}) });
  return { results: body.results ?? [], next: body._page?.next ?? null };
}

/** Every summary of a list (bounded at 20 pages of 300: the standard library's largest list is 380). */
export async function readRegistryAll(scope: Scope, container: Container, kind: RegistryKind, filters: string[], signal?: AbortSignal): Promise<ResourceSummary[]> {
  const all: ResourceSummary[] = [];
  let start: string | undefined;
  for (let page = 0; page < 20; page += 1) {
    const answer = await readRegistryPage(scope, container, kind, { start, limit: 300, filters }, signal);
    // `start` is inclusive, and a page never ends inside a run of equal titles: nothing repeats.
    all.push(...answer.results);
    if (answer.next === null) break;
    start = answer.next;
  }
  return all;
}

/**
 * A `~` filter that finds `text` in a title whatever its case. The registry's `~` is a case-sensitive regular
 * expression, so each letter becomes a class of its two cases (`[pP]`). Quotes and commas are written as escapes:
 * the filter syntax reads them as quoting and as "or". The registry takes patterns of at most 128 characters;
 * a longer one matches the case as typed.
 */
export function titleFilter(text: string): string {
  const escape = (char: string) => {
    if (char === '"' || char === "'" || char === ',') return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
    return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
  };
  const chars = [...text.trim()];
  const anyCase = chars.map((char) => (char.toLowerCase() !== char.toUpperCase() ? `[${char.toLowerCase()}${char.toUpperCase()}]` : escape(char))).join('');
  const pattern = anyCase.length <= 128 ? anyCase : chars.map(escape).join('').slice(0, 128);
  return `title~${pattern}`;
}

/** A resource of the kind and container, in the form `accept` names. */
export function readResource<T>(scope: Scope, container: Container, kind: RegistryKind, id: string, accept: string, signal?: AbortSignal): Promise<T> {
  return request<T>(scope, 'GET', `${schemaRegistry}/${container}/${kind}/${encodeURIComponent(id)}`, { accept, ...(signal ? { signal } : {}) });
}

/** The summary of a resource known by its `$id` alone: the standard library first, then the sandbox's own. */
export async function findSummary(scope: Scope, kind: RegistryKind, id: string, signal?: AbortSignal): Promise<(ResourceSummary & { container: Container }) | undefined> {
  for (const container of ['global', 'tenant'] as const) {
    try {
      return { ...(await readResource<ResourceSummary>(scope, container, kind, id, xedId, signal)), container };
    } catch (error) {
      if (!(error instanceof Error && 'status' in error && error.status === 404)) throw error;
    }
  }
  return undefined;
}

/** The `$id` of a class and those it extends: a field group intended for any of them fits the class. */
export async function classLineage(scope: Scope, container: Container, classId: string, signal?: AbortSignal): Promise<string[]> {
  const found = await readResource<{ 'meta:extends'?: unknown }>(scope, container, 'classes', classId, xedPlain, signal);
  const ancestors = Array.isArray(found['meta:extends']) ? found['meta:extends'].filter((id): id is string => typeof id === 'string') : [];
  return [classId, ...ancestors];
}

/** What a schema is composed of: one class and the field groups added to it. */
export interface Composition {
  title: string;
  description?: string;
  classId: string;
  fieldGroupIds: string[];
}

/** A resource as the registry answers a write. */
export interface CreatedResource {
  $id: string;
  'meta:altId': string;
  title: string;
}

/** Creates a tenant schema by composition: an `allOf` of the class and field groups, as AEP's tutorials do. */
export function createSchema(scope: Scope, composition: Composition, signal?: AbortSignal): Promise<CreatedResource> {
  const body = {
    type: 'object',
    title: composition.title,
    ...(composition.description ? { description: composition.description } : {}),
    allOf: [composition.classId, ...composition.fieldGroupIds].map(($ref) => ({ $ref })),
    'meta:class': composition.classId,
  };
  return request<CreatedResource>(scope, 'POST', `${schemaRegistry}/tenant/schemas`, { body, ...(signal ? { signal } : {}) });
}
