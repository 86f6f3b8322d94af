import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogListResponse } from '../src/services/catalog/catalog-listing.js';
import { dataSetKind } from '../src/store/data-set-index.js';
import { up as addDataSetIndex } from '../src/store/migrations/20261215T0110-data-set-index.js';
import { ResourcesRepository, type Scope } from '../src/store/resources.repository.js';
import { availableBackends } from './support/backends.js';
import { RowCounter } from './support/row-counter.js';
import { startApi, str, type TestApi } from './support/test-api.js';

const dataSetsPath = '/data/foundation/catalog/dataSets';
const backends = await availableBackends();

const schemas = ['https://ns.adobe.com/tenant/schemas/a', 'https://ns.adobe.com/tenant/schemas/b', 'https://ns.adobe.com/tenant/schemas/c'];

/** A dataset as Catalog stores one, with the fields the filters below read (and a classification, so no schema is read). */
function dataSetRecord(index: number, created: number, updated: number, storedAt: number) {
  const id = crypto.randomBytes(12).toString('hex');
  const body = {
    id,
    imsOrg: 'ORG@AdobeOrg',
    name: `payments ${String(index % 9).padStart(2, '0')}`,
    schemaRef: { id: schemas[index % 3] as string, contentType: 'application/vnd.adobe.xed+json;version=1' },
    state: index % 4 === 0 ? 'DRAFT' : 'ENABLED',
    classification: { dataBehavior: 'record', managedBy: 'CUSTOMER' },
    tags: { team: [index % 2 === 0 ? 'payments' : 'crm'], 'adobe/pqs/table': [`payments_${String(index).padStart(2, '0')}`] },
    version: '1.0.0',
    created,
    updated,
    createdClient: `client-${index % 3}`,
  };
  return { kind: dataSetKind, id, body, secret: null, etag: String(storedAt), createdAt: storedAt, updatedAt: storedAt };
}

describe.each(backends)('GET /dataSets filtered, sorted and paged in SQL on $name', (backend) => {
  const counter = new RowCounter();
  let api: TestApi;
  let scope: Scope;
  const bodies: Record<string, unknown>[] = [];
  const storedAt = new Map<unknown, number>();
  const inStoredOrder = () => [...bodies].sort((a, b) => (storedAt.get(a.id) ?? 0) - (storedAt.get(b.id) ?? 0) || (String(a.id) < String(b.id) ? -1 : 1));
  const base = 1_700_000_000_000;

  beforeAll(async () => {
    api = await startApi(backend, { storePlugins: [counter] });
    scope = { orgId: api.credentials.ims_org, sandboxId: str((await api.request('GET', '/data/foundation/sandbox-management/sandboxes/prod')).json, 'id') };
    const resources = new ResourcesRepository(api.store.db);
    for (let i = 0; i < 60; i += 1) {
      // Stored in an order their `created` does not follow, three to each stored time.
      const created = base + ((i * 29) % 60) * 1000;
      const dataSet = dataSetRecord(i, created, created + ((i * 37) % 11) * 500, base + Math.floor(i / 3));
      if (i % 13 === 5) delete (dataSet.body as Partial<typeof dataSet.body>).created;
      await resources.insert(scope, dataSet);
      bodies.push(dataSet.body);
      storedAt.set(dataSet.id, dataSet.createdAt);
    }
  });
  afterAll(async () => api?.close());

  const answers = async (query: string) => {
    counter.reset();
    const response = await api.request('GET', `${dataSetsPath}?${query}`);
    expect(response.status, response.text).toBe(200);
    const read = counter.read('resources');
    const params = new URL(`http://x/?${query}`).searchParams;
    const typed: Record<string, unknown> = {};
    for (const key of new Set(params.keys())) {
      const values = params.getAll(key);
      const value = values.length === 1 ? values[0] : values;
      typed[key] = ['limit', 'start', 'createdAfter', 'createdBefore'].includes(key) ? Number(value) : value;
    }
    return { served: response.json as Record<string, unknown>, expected: catalogListResponse(inStoredOrder(), typed), read };
  };

  const since = base + 20_000;
  const inSql = [
    '',
    'name=payments 03',
    'name=payments 01,payments 02&orderBy=desc:created&limit=5',
    'name=!payments 01&start=3&limit=4',
    'state=DRAFT',
    `property=schemaRef.id==${schemas[1]}&orderBy=updated&limit=30`,
    `createdAfter=${since}&limit=100`,
    'orderBy=desc:updated&start=10&limit=7',
    `property=created>=${since}&property=state!=DRAFT`,
    `property=id==ID0`,
    'properties=name,state&limit=50',
  ];
  const fallingBack = ['tags=team:pay*', 'name=payments 0*', 'orderBy=name&limit=30', 'createdClient=client-1', 'property=name~^pay&limit=10'];

  it.each([...inSql.map((q) => [q, 'in SQL'] as const), ...fallingBack.map((q) => [q, 'in JS'] as const)])('answers ?%s as the JS listing over every dataset does (%s)', async (template, path) => {
    const query = template.replace('ID0', String(bodies[0]?.id));
    const { served, expected, read } = await answers(query);
    expect(Object.keys(served)).toEqual(Object.keys(expected));
    expect(served).toEqual(expected);
    const shown = Object.keys(served).length;
    if (path === 'in SQL') expect(read).toBe(shown);
    else expect(read).toBeGreaterThan(shown);
    expect(shown).toBeGreaterThan(0);
  });

  it('answers an empty page, not a 500, for a start or a bound past what the store can hold', async () => {
    for (const query of ['start=99999999999999999999', 'createdAfter=1e400&start=99999999999999999999', 'createdAfter=1e400']) {
      const response = await api.request('GET', `${dataSetsPath}?${query}`);
      expect(response.status, response.text).toBe(200);
      expect(response.json).toEqual({});
    }
  });

  it('finds the datasets of a schema from the index: a schema a dataset uses keeps its fields', async () => {
    const rows = await api.store.db.selectFrom('catalog_data_sets').select('data_set_id').where('schema_id', '=', schemas[2] as string).execute();
    expect(rows.length).toBe(bodies.filter((b) => (b.schemaRef as { id: string }).id === schemas[2]).length);
  });
});

describe.each(backends)('the dataset index migration on $name', (backend) => {
  it('backfills one row per stored dataset, from its body', async () => {
    const opened = await backend.open();
    try {
      const db = opened.store.db;
      const here: Scope = { orgId: 'ORG@AdobeOrg', sandboxId: 'sandbox-a' };
      await db.schema.dropTable('catalog_data_sets').execute();
      const one = dataSetRecord(1, 1000, 1500, 10);
      const odd = { ...dataSetRecord(2, 2000, 2000, 20), body: { note: 'no fields' } };
      const raw = db as unknown as Kysely<{ resources: Record<string, unknown> }>;
      for (const record of [one, odd]) {
        await raw.insertInto('resources').values({ kind: record.kind, id: record.id, org_id: here.orgId, sandbox_id: here.sandboxId, body: JSON.stringify(record.body), secret: null, etag: record.etag, created_at: record.createdAt, updated_at: record.updatedAt, unique_key: null }).execute();
      }
      await addDataSetIndex(db as unknown as Kysely<unknown>);
      const rows = await db.selectFrom('catalog_data_sets').selectAll().orderBy('stored_at').execute();
      const common = { org_id: here.orgId, sandbox_id: here.sandboxId };
      expect(rows.map((r) => ({ ...r, created: r.created === null ? null : Number(r.created), updated: r.updated === null ? null : Number(r.updated), stored_at: Number(r.stored_at) }))).toEqual([
        { ...common, data_set_id: one.id, name: 'payments 01', schema_id: schemas[1], table_name: 'payments_01', state: 'ENABLED', created: 1000, updated: 1500, stored_at: 10 },
        { ...common, data_set_id: odd.id, name: null, schema_id: null, table_name: null, state: null, created: null, updated: null, stored_at: 20 },
      ]);
    } finally {
      await opened.store.close();
      await opened.dispose();
    }
  });
});
