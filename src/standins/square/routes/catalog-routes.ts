import type { SquareAccount } from '../account.js';
import { CATALOG_TYPES, DEFAULT_CATALOG_TYPES, catalogDataKey, isCatalogType, type CatalogType, type SquareCatalogObject } from '../catalog.js';
import { makeCursor, openCursor, queryFingerprint } from '../cursor.js';
import { readPage } from '../keyset-pager.js';
import { BodyReader, QueryParams, parseJsonBody } from '../request-params.js';
import { formatRfc3339 } from '../rfc3339.js';
import { invalidRequest, notFound } from '../square-errors.js';
import { okBody, type RouteHandler } from './route-context.js';

const LIST_PAGE_SIZE = 100;

/**
 * GET /v2/catalog/list (ListCatalog): live objects of the requested `types` (default: the top-level types),
 * a fixed page of 100, and with `catalog_version` the catalog as it was at that version.
 */
export const listCatalog: RouteHandler = (request, { account }) => {
  const q = new QueryParams(request.url);
  const typesText = q.string('types');
  const types = typesText === undefined ? DEFAULT_CATALOG_TYPES : parseTypes(typesText);
  const asOf = q.integer('catalog_version');
  const catalog = account.catalog;
  const fingerprint = queryFingerprint({ op: 'ListCatalog', types: [...types].sort(), asOf });
  const cursorText = q.string('cursor');
  const cursor = cursorText === undefined ? null : openCursor<number>(cursorText, fingerprint, 'number');
  const wanted = new Set(types);
  const snapshotOf = (row: number) => (asOf === undefined ? catalog.current(row) : catalog.at(row, asOf));
  const page = readPage({
    index: catalog.byRow,
    descending: false,
    ...(cursor ? { after: cursor.resume } : {}),
    limit: LIST_PAGE_SIZE,
    accept: (row) => {
      if (!wanted.has(catalog.typeOf(row))) return false;
      const snapshot = snapshotOf(row);
      return snapshot !== null && !snapshot.deleted;
    },
  });
  return okBody({
    objects: page.rows.map((row) => catalog.render(row, asOf) as SquareCatalogObject),
    cursor: page.next ? makeCursor(fingerprint, { resume: page.next, pinned: {} }) : undefined,
  });
};

/**
 * POST /v2/catalog/search (SearchCatalogObjects): objects changed after `begin_time` (exclusive), oldest
 * change first, deleted ones only with `include_deleted_objects`; `exact_query`, `prefix_query` and
 * `text_query` on the object's data; `limit` default 100, and a value <= 0 or > 1000 is ignored.
 */
export const searchCatalog: RouteHandler = (request, { account }) => {
  const body = new BodyReader(parseJsonBody(request.body));
  const catalog = account.catalog;
  const types = body.enumArray('object_types', CATALOG_TYPES) ?? DEFAULT_CATALOG_TYPES;
  const includeDeleted = body.boolean('include_deleted_objects') ?? false;
  const includeRelated = body.boolean('include_related_objects') ?? false;
  if (includeDeleted && body.boolean('include_category_path_to_root') === true) {
    throw invalidRequest('CONFLICTING_PARAMETERS', '`include_deleted_objects` and `include_category_path_to_root` cannot both be true.', 'include_category_path_to_root');
  }
  const beginTime = body.time('begin_time');
  const requestedLimit = body.integer('limit');
  const limit = requestedLimit === undefined || requestedLimit <= 0 || requestedLimit > 1000 ? 100 : requestedLimit;
  const match = catalogQuery(body.object('query'));
  const fingerprint = queryFingerprint({ op: 'SearchCatalogObjects', types: [...types].sort(), includeDeleted, beginTime: body.string('begin_time'), query: body.object('query')?.raw() });
  const cursorText = body.string('cursor');
  const cursor = cursorText === undefined ? null : openCursor<number>(cursorText, fingerprint, 'number');
  const wanted = new Set(types);
  const page = readPage({
    index: catalog.byUpdated,
    descending: false,
    ...(beginTime === undefined ? {} : { lower: { key: beginTime, inclusive: false } }),
    ...(cursor ? { after: cursor.resume } : {}),
    limit,
    accept: (row) => wanted.has(catalog.typeOf(row)) && (includeDeleted || !catalog.isDeleted(row)) && match(catalog.current(row).data),
  });
  const objects = page.rows.map((row) => catalog.renderCurrent(row));
  return okBody({
    objects,
    related_objects: includeRelated ? relatedObjects(account, objects) : undefined,
    cursor: page.next ? makeCursor(fingerprint, { resume: page.next, pinned: {} }) : undefined,
    latest_time: catalog.count > 0 ? formatRfc3339(latestUpdate(account)) : undefined,
  });
};

export const getCatalogObject: RouteHandler = (request, { account }, [id]) => {
  const catalog = account.catalog;
  const row = catalog.rowOf(id ?? '');
  if (row === null || catalog.isDeleted(row)) throw notFound(`Object with ID \`${id}\` not found.`);
  const object = catalog.renderCurrent(row);
  const includeRelated = new QueryParams(request.url).boolean('include_related_objects') ?? false;
  return okBody({ object, related_objects: includeRelated ? relatedObjects(account, [object]) : undefined });
};

function parseTypes(text: string): CatalogType[] {
  return text.split(',').map((part) => {
    const type = part.trim().toUpperCase();
    if (!isCatalogType(type)) throw invalidRequest('INVALID_ENUM_VALUE', `\`${part.trim()}\` is not a valid catalog object type for \`types\`.`, 'types');
    return type;
  });
}

/** The supported query kinds, each matching on a text attribute of the object's data (case-insensitively). */
function catalogQuery(query: BodyReader | undefined): (data: Record<string, unknown>) => boolean {
  if (!query) return () => true;
  query.rejectUnsupported(['sorted_attribute_query', 'set_query', 'range_query', 'items_for_tax_query', 'items_for_modifier_list_query', 'items_for_item_options_query', 'item_variations_for_item_option_values_query']);
  const exact = query.object('exact_query');
  const prefix = query.object('prefix_query');
  const text = query.object('text_query');
  const attribute = (data: Record<string, unknown>, name: string): string | null => (typeof data[name] === 'string' ? (data[name] as string).toLowerCase() : null);
  const tests: ((data: Record<string, unknown>) => boolean)[] = [];
  if (exact) {
    const name = required(exact.string('attribute_name'), 'query.exact_query.attribute_name');
    const value = required(exact.string('attribute_value'), 'query.exact_query.attribute_value').toLowerCase();
    tests.push((data) => attribute(data, name) === value);
  }
  if (prefix) {
    const name = required(prefix.string('attribute_name'), 'query.prefix_query.attribute_name');
    const start = required(prefix.string('attribute_prefix'), 'query.prefix_query.attribute_prefix').toLowerCase();
    tests.push((data) => attribute(data, name)?.startsWith(start) ?? false);
  }
  if (text) {
    const keywords = required(text.stringArray('keywords'), 'query.text_query.keywords').map((keyword) => keyword.toLowerCase());
    tests.push((data) => keywords.every((keyword) => ['name', 'description', 'sku'].some((name) => attribute(data, name)?.includes(keyword))));
  }
  return (data) => tests.every((test) => test(data));
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw invalidRequest('MISSING_REQUIRED_PARAMETER', `Missing required parameter \`${field}\`.`, field);
  return value;
}

/** One level of references: an item's categories and taxes, a variation's item. */
function relatedObjects(account: SquareAccount, objects: readonly SquareCatalogObject[]): SquareCatalogObject[] {
  const catalog = account.catalog;
  const ids = new Set<string>();
  for (const object of objects) {
    const data = object[catalogDataKey(object.type)] as Record<string, unknown>;
    if (object.type === 'ITEM') {
      for (const category of (data.categories as { id: string }[] | undefined) ?? []) ids.add(category.id);
      for (const taxId of (data.tax_ids as string[] | undefined) ?? []) ids.add(taxId);
    } else if (object.type === 'ITEM_VARIATION' && typeof data.item_id === 'string') {
      ids.add(data.item_id);
    }
  }
  const related: SquareCatalogObject[] = [];
  for (const id of ids) {
    const row = catalog.rowOf(id);
    if (row !== null && !catalog.isDeleted(row)) related.push(catalog.renderCurrent(row));
  }
  return related;
}

function latestUpdate(account: SquareAccount): number {
  const order = account.catalog.byUpdated.rows();
  const last = order[order.length - 1] as number;
  return account.catalog.table.updated.get(last);
}
