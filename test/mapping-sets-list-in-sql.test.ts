import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOrderBy, sortItems } from '../src/server/listing/order-by.js';
import { mappingSetKind } from '../src/store/mapping-set-index.js';
import { up as addMappingSetIndex } from '../src/store/migrations/20261215T0120-mapping-set-index.js';
import { ResourcesRepository, type Scope } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { RowCounter } from './support/row-counter.js';
import { startApi, str, type TestApi } from './support/test-api.js';

const mappingSetsPath = '/data/foundation/conversion/mappingSets';
const backends = await availableBackends();
const schemas = ['https://ns.adobe.com/tenant/schemas/a', 'https://ns.adobe.com/tenant/schemas/b'];

/** One version as Data Prep stores it, with the fields the list reads. */
function version(id: string, index: number, number: number, createdDate: number, modifiedDate: number) {
  // Every other name is another kind of mapping; versions 0 and 1 of a set write different schemas.
  const name = index % 2 === 0 ? `Orders_${index % 7}_Mapping` : `Refunds_${index % 7}`;
  return { id, version: number, name, xdmSchema: schemas[(index + number) % 2] as string, createdDate, modifiedDate, createdBy: 'user', mappings: [{ id: `m${index}`, source: 'a', destination: 'b' }] };
}

/** A mapping set of one or two versions: the list shows the last. */
function mappingSetRecord(index: number, storedAt: number) {
  const id = crypto.randomBytes(16).toString('hex');
  const created = 1_700_000_000_000 + ((index * 13) % 30) * 1000;
  const versions = [version(id, index, 0, created, created)];
  if (index % 3 === 0) versions.push(version(id, index, 1, created, created + 50_000 - index));
  return { kind: mappingSetKind, id, body: { versions }, secret: null, etag: String(versions.length - 1), createdAt: storedAt, updatedAt: storedAt };
}

describe.each(backends)('GET /mappingSets sorted and paged in SQL on $name', (backend) => {
  const counter = new RowCounter();
  let api: TestApi;
  let scope: Scope;
  const stored: ReturnType<typeof mappingSetRecord>[] = [];

  beforeAll(async () => {
    api = await startApi(backend, { storePlugins: [counter] });
    scope = { orgId: api.credentials.ims_org, sandboxId: str((await api.request('GET', '/data/foundation/sandbox-management/sandboxes/prod')).json, 'id') };
    const resources = new ResourcesRepository(api.store.db);
    for (let i = 0; i < 30; i += 1) {
      const record = mappingSetRecord(i, 1_700_000_000_000 + Math.floor(i / 2));
      await resources.insert(scope, record);
      stored.push(record);
    }
  });
  afterAll(async () => api?.close());

  /** The list as the JS listing over every set answers it: current versions in stored order, filtered, sorted, sliced. */
  const expectedFor = (query: URLSearchParams) => {
    const inStoredOrder = [...stored].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    const current = inStoredOrder.map((s) => s.body.versions[s.body.versions.length - 1] as Record<string, unknown>);
    const name = query.get('name');
    const named = name ? current.filter((m) => String(m.name).includes(name)) : current;
    const start = Number(query.get('start') ?? 0);
    return sortItems(named, parseOrderBy(query.get('orderBy')?.replace(/updatedDate/g, 'modifiedDate'))).slice(start, start + Number(query.get('limit') ?? 100)).map((m) => m.id);
  };

  it.each([
    ['', 'in SQL'],
    ['limit=7&start=4', 'in SQL'],
    ['orderBy=-modifiedDate&limit=10', 'in SQL'],
    ['orderBy=createdDate,-updatedDate&start=5&limit=8', 'in SQL'],
    ['name=_Mapping', 'by name'],
    ['name=Orders_4&orderBy=-modifiedDate', 'by name'],
    ['name=orders', 'by name'],
    ['name=100%', 'by name'],
    ['orderBy=name&limit=12', 'in JS'],
  ] as const)('answers ?%s as the JS listing over every set does (%s)', async (query, path) => {
    counter.reset();
    const response = await api.request('GET', `${mappingSetsPath}?${query}`);
    expect(response.status, response.text).toBe(200);
    const served = (response.json as { data: { id: string }[] }).data.map((m) => m.id);
    expect(served).toEqual(expectedFor(new URLSearchParams(query)));
    const read = counter.read('resources');
    if (path === 'in SQL') expect(read).toBe(served.length);
    if (path === 'in JS') expect(read).toBe(stored.length);
    // A name filter reads only the sets whose names may match.
    if (path === 'by name') expect(read).toBeLessThan(stored.length);
    if (!query.startsWith('name=100') && query !== 'name=orders') expect(served.length).toBeGreaterThan(0);
  });

  it('answers an empty page, not a 500, for a start past what the store can hold', async () => {
    const response = await api.request('GET', `${mappingSetsPath}?start=99999999999999999999`);
    expect(response.status, response.text).toBe(200);
    expect((response.json as { data: unknown[] }).data).toEqual([]);
  });

  it('finds the mapping sets of a schema, in any version, from the index', async () => {
    const rows = await api.store.db.selectFrom('mapping_set_schemas').select('mapping_set_id').where('schema_id', '=', schemas[1] as string).execute();
    const expected = stored.filter((s) => s.body.versions.some((v) => v.xdmSchema === schemas[1])).map((s) => s.id).sort();
    expect(rows.map((r) => r.mapping_set_id).sort()).toEqual(expected);
  });
});

describe.each(backends)('the mapping-set index migration on $name', (backend) => {
  it('backfills one row per stored mapping set and one per schema its versions write', async () => {
    const opened = await backend.open();
    try {
      const db = opened.store.db;
      const here: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-a' };
      await db.schema.dropTable('mapping_set_schemas').execute();
      await db.schema.dropTable('mapping_sets').execute();
      const two = mappingSetRecord(3, 10);
      const odd = { ...mappingSetRecord(4, 20), body: { note: 'no versions' } };
      const raw = db as unknown as Kysely<{ resources: Record<string, unknown> }>;
      for (const record of [two, odd]) {
        await raw.insertInto('resources').values({ kind: record.kind, id: record.id, org_id: here.orgId, sandbox_id: here.sandboxId, body: JSON.stringify(record.body), secret: null, etag: record.etag, created_at: record.createdAt, updated_at: record.updatedAt, unique_key: null }).execute();
      }
      await addMappingSetIndex(db as unknown as Kysely<unknown>);
      const sets = await db.selectFrom('mapping_sets').selectAll().orderBy('stored_at').execute();
      const last = two.body.versions[1];
      expect(sets.map((r) => ({ ...r, created_date: r.created_date === null ? null : Number(r.created_date), modified_date: r.modified_date === null ? null : Number(r.modified_date), stored_at: Number(r.stored_at) }))).toEqual([
        { org_id: here.orgId, sandbox_id: here.sandboxId, mapping_set_id: two.id, name: last?.name, created_date: last?.createdDate, modified_date: last?.modifiedDate, stored_at: 10 },
        { org_id: here.orgId, sandbox_id: here.sandboxId, mapping_set_id: odd.id, name: null, created_date: null, modified_date: null, stored_at: 20 },
      ]);
      const schemaRows = await db.selectFrom('mapping_set_schemas').select(['mapping_set_id', 'schema_id']).orderBy('schema_id').execute();
      expect(schemaRows).toEqual(schemas.map((schema_id) => ({ mapping_set_id: two.id, schema_id })));
    } finally {
      await opened.store.close();
      await opened.dispose();
    }
  });
});
