import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, postgresUrl } from './support/backends.js';
import { createDatabaseConnection, createDatabaseFlow, streamMetrics, type MappedField } from './support/database-flow.js';
import { lakeRows, runNow } from './support/file-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const postgresSpec = '74a1c565-4e59-48d7-9d67-7c03b8a13137';
const flowservice = '/data/foundation/flowservice';
/** Trust authentication on the test server takes any password: it only has to stay out of every answer. */
const password = 'Pw-never-shown-7f3a';
const schema = `pgsrc_${crypto.randomBytes(5).toString('hex')}`;
const noGrantRole = `${schema}_nogrant`;
const connectionString = (overrides: Record<string, string> = {}) =>
  Object.entries({ Server: '127.0.0.1', Port: '5432', Database: 'test', UID: 'postgres', Password: password, ...overrides })
    .map(([key, value]) => `${key}=${value}`)
    .join(';');

let admin: pg.Client;
const sql = (text: string, values?: unknown[]) => admin.query(text, values);

beforeAll(async () => {
  admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await sql(`CREATE SCHEMA ${schema}`);
  await sql(`CREATE TYPE ${schema}.mood AS ENUM ('calm', 'überrascht')`);
  await sql(`CREATE TABLE ${schema}.every_type (
    id integer PRIMARY KEY, small smallint, big bigint, amount numeric(12,2), huge numeric(50,10), free numeric, ratio real, score double precision,
    flag boolean, label text, code varchar(10), fixed char(4), day date, at_local timestamp, at_zoned timestamptz, clock time,
    doc jsonb, raw json, tags text[], nums integer[], blob bytea, uid uuid, mood ${schema}.mood)`);
  await sql(`INSERT INTO ${schema}.every_type VALUES
    (1, -32768, 9007199254740993, 1234567890.12, 12345678901234567890123456789.0123456789, 3.25, 1.5, 2.718281828459045,
     true, 'naïve ☕ "quoted", comma', 'abc', 'ab', '2024-02-29', '2024-03-01 10:11:12.345678', '2024-03-01 10:11:12+02', '23:59:58',
     '{"k": [1, "ü"], "n": null}', '[1, 2]', ARRAY['a,b', 'c"d', NULL, 'ünï'], ARRAY[1, NULL, 3], '\\xdeadbeef00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'überrascht'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '{}', NULL, NULL, NULL, NULL),
    (3, 0, 0, 0, 0, 0, 0, 0, false, E'line one\\nline two', NULL, NULL, '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59.999999+00', '00:00:00',
     'null', '{}', ARRAY['x'], ARRAY[7], '', '00000000-0000-0000-0000-000000000000', 'calm')`);
  await sql(`CREATE VIEW ${schema}.calm_rows AS SELECT id, label FROM ${schema}.every_type WHERE mood = 'calm'`);
  await sql(`CREATE ROLE ${noGrantRole} LOGIN`);
});

afterAll(async () => {
  await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await sql(`DROP ROLE IF EXISTS ${noGrantRole}`);
  await admin.end();
});

/** Every field of the every-type table, typed in XDM as the README's table says the column is. */
const everyTypeFields: Record<string, MappedField> = {
  small: { source: 'small', schema: { type: 'integer' } },
  big: { source: 'big', schema: { type: 'integer' } },
  amount: { source: 'amount', schema: { type: 'number' } },
  huge: { source: 'huge', schema: { type: 'number' } },
  free: { source: 'free', schema: { type: 'number' } },
  ratio: { source: 'ratio', schema: { type: 'number' } },
  score: { source: 'score', schema: { type: 'number' } },
  flag: { source: 'flag', schema: { type: 'boolean' } },
  label: { source: 'label', schema: { type: 'string' } },
  code: { source: 'code', schema: { type: 'string' } },
  fixed: { source: 'fixed', schema: { type: 'string' } },
  day: { source: 'day', schema: { type: 'string', format: 'date' } },
  atLocal: { source: 'at_local', schema: { type: 'string', format: 'date-time' } },
  atZoned: { source: 'at_zoned', schema: { type: 'string', format: 'date-time' } },
  clock: { source: 'clock', schema: { type: 'string' } },
  doc: { source: 'doc', schema: { type: 'string' } },
  raw: { source: 'raw', schema: { type: 'string' } },
  tags: { source: 'tags', schema: { type: 'array', items: { type: 'string' } } },
  nums: { source: 'nums', schema: { type: 'array', items: { type: 'integer' } } },
  blob: { source: 'blob', schema: { type: 'string' } },
  uid: { source: 'uid', schema: { type: 'string' } },
  mood: { source: 'mood', schema: { type: 'string' } },
};

describe.each(backends)('PostgreSQL source on $name', (backend) => {
  let api: TestApi;
  let connectionId: string;
  const everyAnswer: string[] = [];
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await api.request(method, path, body === undefined ? {} : { body });
    everyAnswer.push(response.text);
    return response;
  };

  beforeAll(async () => {
    api = await startApi(backend);
    connectionId = await createDatabaseConnection(api, postgresSpec, connectionString(), 'main');
  });
  afterAll(async () => {
    // No answer of the whole suite repeats the password.
    expect(everyAnswer.filter((text) => text.includes(password))).toEqual([]);
    await api?.close();
  });

  it('keeps the connection string secret, tests the connection and explores tables, typed columns and a preview', async () => {
    const connection = await request('GET', `${flowservice}/connections/${connectionId}`);
    expect(connection.status).toBe(200);
    expect(connection.text).not.toContain(password);

    const test = await request('GET', `${flowservice}/connections/${connectionId}/test`);
    expect(test.status).toBe(200);
    expect(test.json).toMatchObject({ status: 'ok' });
    expect(str(test.json, 'message')).toMatch(/PostgreSQL 1\d/);

    const root = await request('GET', `${flowservice}/connections/${connectionId}/explore?objectType=root`);
    expect(root.status).toBe(200);
    const mine = (root.json as { path: string; type: string }[]).filter((entry) => entry.path.startsWith(`${schema}.`));
    expect(mine.map((entry) => entry.path)).toEqual(expect.arrayContaining([`${schema}.calm_rows`, `${schema}.every_type`]));
    expect(mine.every((entry) => entry.type === 'table')).toBe(true);

    const table = await request('GET', `${flowservice}/connections/${connectionId}/explore?objectType=table&object=${schema}.every_type&preview=true`);
    expect(table.status, table.text).toBe(200);
    const columns = at(table.json, 'schema.columns') as { name: string; type: string; 'meta:xdmType'?: string }[];
    const typeOf = Object.fromEntries(columns.map((c) => [c.name, c['meta:xdmType'] ? `${c.type}/${c['meta:xdmType']}` : c.type]));
    expect(typeOf).toMatchObject({
      id: 'integer', big: 'integer', amount: 'number', huge: 'number', free: 'number', score: 'number', flag: 'boolean', label: 'string',
      day: 'string/date', at_local: 'string/date-time', at_zoned: 'string/date-time', doc: 'string', tags: 'array', nums: 'array', blob: 'string', uid: 'string', mood: 'string',
    });
    const rows = at(table.json, 'data') as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    const first = rows.find((r) => r.id === 1) as Record<string, unknown>;
    expect(first).toMatchObject({ label: 'naïve ☕ "quoted", comma', flag: true, day: '2024-02-29', tags: ['a,b', 'c"d', null, 'ünï'], blob: '3q2+7wA=', mood: 'überrascht' });
    expect(String(first.at_local)).toMatch(/^2024-03-01T10:11:12\.345678\+00:00$/);
    expect(String(first.at_zoned)).toMatch(/^2024-03-01T08:11:12\+00:00$/);

    const view = await request('GET', `${flowservice}/connections/${connectionId}/explore?objectType=table&object=${schema}.calm_rows&preview=true`);
    expect(at(view.json, 'data')).toEqual([{ id: 3, label: 'line one\nline two' }]);
  });

  it('lands a table of every supported type, NULLs and unicode included, as the README says', async () => {
    const flow = await createDatabaseFlow(api, { title: 'every type', specId: postgresSpec, baseConnectionId: connectionId, tableName: `${schema}.every_type`, idColumn: 'id', fields: everyTypeFields });
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    expect(at(run, 'metrics.recordSummary.outputRecordCount')).toBe(3);
    expect(streamMetrics(run)).toMatchObject({ stream: `${schema}.every_type`, records: 3, pages: 1, pushedDown: false, keyset: [] });
    const tenant = `_${api.tenantId}`;
    const rows = await lakeRows(api, flow.dataSetId, `_id, to_json(${tenant}.db) AS db, CAST(${tenant}.db.big AS VARCHAR) AS big`);
    const byId = Object.fromEntries(rows.map((r) => [String(r._id), JSON.parse(String(r.db)) as Record<string, unknown>]));
    expect(Object.keys(byId).sort()).toEqual(['1', '2', '3']);
    // JSON numbers lose a bigint's last digits in JavaScript; the lake keeps them.
    expect(rows.find((r) => String(r._id) === '1')?.big).toBe('9007199254740993');
    const one = byId['1'] as Record<string, unknown>;
    expect(one).toMatchObject({
      small: -32768, amount: 1234567890.12, free: 3.25, ratio: 1.5, score: 2.718281828459045, flag: true,
      label: 'naïve ☕ "quoted", comma', code: 'abc', fixed: 'ab', clock: '23:59:58', tags: ['a,b', 'c"d', null, 'ünï'], nums: [1, null, 3],
      blob: '3q2+7wA=', uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', mood: 'überrascht',
    });
    expect(Number(one.huge)).toBeCloseTo(1.2345678901234568e28, -14);
    expect(JSON.parse(String(one.doc))).toEqual({ k: [1, 'ü'], n: null });
    expect(JSON.parse(String(one.raw))).toEqual([1, 2]);
    expect(String(one.day)).toMatch(/^2024-02-29/);
    // A timestamp without a zone is taken as UTC; one with a zone keeps its instant.
    expect(new Date(String(one.atLocal)).toISOString()).toBe('2024-03-01T10:11:12.345Z');
    expect(new Date(String(one.atZoned)).toISOString()).toBe('2024-03-01T08:11:12.000Z');
    const two = byId['2'] as Record<string, unknown>;
    expect(two.label).toBe('');
    expect(two.tags).toEqual([]);
    for (const field of ['small', 'big', 'amount', 'flag', 'day', 'atLocal', 'doc', 'blob', 'uid', 'mood', 'nums']) expect(two[field] ?? null, field).toBeNull();
    const three = byId['3'] as Record<string, unknown>;
    expect(three).toMatchObject({ label: 'line one\nline two', flag: false, blob: '', doc: 'null', nums: [7] });
  });

  it.runIf(backend === backends[0])('lands a million rows', async () => {
    await sql(`CREATE TABLE ${schema}.million AS SELECT g AS id, 'row ' || g AS label, now() - (g || ' seconds')::interval AS changed_at FROM generate_series(1, 1000000) g`);
    await sql(`ALTER TABLE ${schema}.million ADD PRIMARY KEY (id)`);
    const flow = await createDatabaseFlow(api, { title: 'million', specId: postgresSpec, baseConnectionId: connectionId, tableName: `${schema}.million`, idColumn: 'id', fields: { label: { source: 'label', schema: { type: 'string' } } } });
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    expect(at(run, 'metrics.recordSummary.outputRecordCount')).toBe(1_000_000);
    // A table this size is copied in two block ranges at once, in one snapshot.
    expect(streamMetrics(run)).toMatchObject({ records: 1_000_000, pages: 1, requests: 2 });
    const counted = await lakeRows(api, flow.dataSetId, `count(*) AS n, count(DISTINCT _id) AS ids, max(_${api.tenantId}.db.label) AS last`, 'n');
    expect(counted).toEqual([{ n: '1000000', ids: '1000000', last: 'row 999999' }]);
  }, 240_000);

  it('answers test and explore with what to fix: refused user, unknown host, missing table, missing grant', async () => {
    const unknownUser = await createDatabaseConnection(api, postgresSpec, connectionString({ UID: `${schema}_nobody` }), 'nobody');
    const refused = await request('GET', `${flowservice}/connections/${unknownUser}/test`);
    expect(refused.json).toMatchObject({ status: 'failed' });
    expect(str(refused.json, 'message')).toMatch(new RegExp(`refused user "${schema}_nobody".*check UID= and Password=`));

    const nowhere = await createDatabaseConnection(api, postgresSpec, connectionString({ Server: 'no-such-host.invalid' }), 'nowhere');
    const unknownHost = await request('GET', `${flowservice}/connections/${nowhere}/test`);
    expect(unknownHost.json).toMatchObject({ status: 'failed' });
    expect(str(unknownHost.json, 'message')).toMatch(/host "no-such-host.invalid" is unknown; check Server=/);

    const noDatabase = await createDatabaseConnection(api, postgresSpec, connectionString({ Database: `${schema}_nodb` }), 'no database');
    expect(str((await request('GET', `${flowservice}/connections/${noDatabase}/test`)).json, 'message')).toMatch(/has no database ".*_nodb"; check Database=/);

    // The test server offers no TLS: required TLS is refused with what to set, TLS when offered goes on without it.
    const tls = await createDatabaseConnection(api, postgresSpec, connectionString({ EncryptionMethod: '1', ValidateServerCertificate: '1' }), 'tls');
    expect(str((await request('GET', `${flowservice}/connections/${tls}/test`)).json, 'message')).toMatch(/does not offer TLS; set EncryptionMethod=0, or 6/);
    const maybeTls = await createDatabaseConnection(api, postgresSpec, connectionString({ EncryptionMethod: '6' }), 'maybe tls');
    expect((await request('GET', `${flowservice}/connections/${maybeTls}/test`)).json).toMatchObject({ status: 'ok' });
    const badString = await createDatabaseConnection(api, postgresSpec, `Server=127.0.0.1;Database=test;UID=postgres;Password=${password};Port=54x`, 'bad string');
    expect(str((await request('GET', `${flowservice}/connections/${badString}/test`)).json, 'message')).toMatch(/Port must be a number/);

    const missing = await request('GET', `${flowservice}/connections/${connectionId}/explore?objectType=table&object=${schema}.nope`);
    expect(missing.status).toBe(400);
    expect(missing.text).toMatch(new RegExp(`no table or view ${schema}.nope`));

    const noGrant = await createDatabaseConnection(api, postgresSpec, connectionString({ UID: noGrantRole }), 'no grant');
    expect((await request('GET', `${flowservice}/connections/${noGrant}/test`)).json).toMatchObject({ status: 'ok' });
    const denied = await request('GET', `${flowservice}/connections/${noGrant}/explore?objectType=table&object=${schema}.every_type&preview=true`);
    expect(denied.status).toBe(400);
    expect(denied.text).toMatch(new RegExp(`user \\\\"${noGrantRole}\\\\" may not read ${schema}.every_type.*GRANT SELECT ON ${schema}.every_type`));
    for (const answer of [refused, unknownHost, missing, denied]) expect(answer.text).not.toMatch(/\n\s+at |node_modules/);
  });

  it('fails runs with the same messages, the lake and the state untouched', async () => {
    const noGrant = await createDatabaseConnection(api, postgresSpec, connectionString({ UID: noGrantRole }), 'no grant run');
    const denied = await createDatabaseFlow(api, { title: 'denied', specId: postgresSpec, baseConnectionId: noGrant, tableName: `${schema}.every_type`, idColumn: 'id', fields: { label: everyTypeFields.label as MappedField } });
    const deniedRun = await runNow(api, denied.flowId);
    expect(at(deniedRun, 'metrics.statusSummary.status')).toBe('failed');
    expect(JSON.stringify(at(deniedRun, 'metrics.statusSummary.errors'))).toMatch(/may not read .*every_type.*GRANT SELECT/);

    const missing = await createDatabaseFlow(api, { title: 'missing', specId: postgresSpec, baseConnectionId: connectionId, tableName: `${schema}.gone`, idColumn: 'id', fields: { label: everyTypeFields.label as MappedField } });
    const missingRun = await runNow(api, missing.flowId);
    expect(at(missingRun, 'metrics.statusSummary.status')).toBe('failed');
    expect(JSON.stringify(at(missingRun, 'metrics.statusSummary.errors'))).toMatch(new RegExp(`no table or view ${schema}.gone`));

    const nowhere = await createDatabaseConnection(api, postgresSpec, connectionString({ Server: 'no-such-host.invalid' }), 'nowhere run');
    const lost = await createDatabaseFlow(api, { title: 'lost', specId: postgresSpec, baseConnectionId: nowhere, tableName: `${schema}.every_type`, idColumn: 'id', fields: { label: everyTypeFields.label as MappedField } });
    const lostRun = await runNow(api, lost.flowId);
    expect(JSON.stringify(at(lostRun, 'metrics.statusSummary.errors'))).toMatch(/unknown; check Server=/);
    for (const run of [deniedRun, missingRun, lostRun]) expect(JSON.stringify(run)).not.toContain(password);
    expect(await lakeRows(api, denied.dataSetId)).toEqual([]);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});

describe.each(backends)('PostgreSQL incremental reads on $name', (backend) => {
  let api: TestApi;
  let connectionId: string;
  const pageRows = 7;

  beforeAll(async () => {
    api = await startApi(backend, { databasePageRows: pageRows });
    connectionId = await createDatabaseConnection(api, postgresSpec, connectionString(), 'incremental');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('pushes the delta column into the query and lands exactly the changed rows, ties at page edges neither lost nor doubled', async () => {
    const table = `${schema}.orders_${backend.name}`;
    // 100 rows over 6 distinct change times: every page edge (7 rows) falls inside a run of equal delta values.
    await sql(`CREATE TABLE ${table} (id integer PRIMARY KEY, note text, changed_at timestamptz NOT NULL)`);
    // The index the keyset pages run on; without it the read is one ordered pass (see the next test).
    await sql(`CREATE INDEX ON ${table} (changed_at, id)`);
    await sql(`INSERT INTO ${table} SELECT g, 'first ' || g, timestamptz '2026-01-01 00:00:00Z' + ((g % 6) || ' minutes')::interval FROM generate_series(1, 100) g`);
    const flow = await createDatabaseFlow(api, {
      title: `orders ${backend.name}`, specId: postgresSpec, baseConnectionId: connectionId, tableName: table, idColumn: 'id', deltaColumn: 'changed_at',
      fields: { note: { source: 'note', schema: { type: 'string' } }, changedAt: { source: 'changed_at', schema: { type: 'string', format: 'date-time' } } },
    });
    const first = await runNow(api, flow.flowId);
    expect(at(first, 'metrics.statusSummary.status'), JSON.stringify(at(first, 'metrics.statusSummary'))).toBe('success');
    expect(at(first, 'metrics.recordSummary.outputRecordCount')).toBe(100);
    expect(streamMetrics(first)).toMatchObject({ records: 100, pages: Math.ceil(101 / pageRows), pushedDown: true, keyset: ['changed_at', 'id'] });
    const firstRows = await lakeRows(api, flow.dataSetId, '_id');
    expect(firstRows.map((r) => Number(r._id)).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    // Changes: 20 rows updated to a later time, 9 new rows, and 1 new row with the newest delta value already
    // landed but a higher key (a tie across runs: the engine's watermark alone would drop it).
    await sql(`UPDATE ${table} SET note = 'second ' || id, changed_at = timestamptz '2026-01-02 00:00:00Z' + ((id % 3) || ' minutes')::interval WHERE id % 5 = 0`);
    await sql(`INSERT INTO ${table} SELECT g, 'new ' || g, timestamptz '2026-01-02 00:00:00Z' FROM generate_series(101, 109) g`);
    const newest = await sql(`SELECT max(changed_at) AS m FROM ${table} WHERE id <= 100 AND id % 5 <> 0`);
    await sql(`INSERT INTO ${table} VALUES (110, 'tie with the watermark', $1)`, [newest.rows[0].m]);
    const second = await runNow(api, flow.flowId);
    expect(at(second, 'metrics.statusSummary.status'), JSON.stringify(at(second, 'metrics.statusSummary'))).toBe('success');
    expect(streamMetrics(second)).toMatchObject({ records: 30, pushedDown: true });
    expect(at(second, 'metrics.recordSummary.inputRecordCount')).toBe(30);
    expect(at(second, 'metrics.recordSummary.outputRecordCount')).toBe(30);
    const all = await lakeRows(api, flow.dataSetId, `_id, _${api.tenantId}.db.note AS note`, '_id, note');
    expect(all).toHaveLength(130);
    const changed = all.filter((r) => !String(r.note).startsWith('first')).map((r) => Number(r._id)).sort((a, b) => a - b);
    expect(changed).toEqual([...Array.from({ length: 20 }, (_, i) => (i + 1) * 5), 101, 102, 103, 104, 105, 106, 107, 108, 109, 110].sort((a, b) => a - b));

    // Nothing changed: nothing is read, an empty batch records the run.
    const third = await runNow(api, flow.flowId);
    expect(at(third, 'metrics.statusSummary.status')).toBe('success');
    expect(streamMetrics(third)).toMatchObject({ records: 0 });
  });

  it('pages by a text key holding commas, quotes, bars, newlines and unicode', async () => {
    const table = `${schema}.coded_${backend.name}`;
    await sql(`CREATE TABLE ${table} (code text PRIMARY KEY, changed_at timestamptz NOT NULL)`);
    await sql(`CREATE INDEX ON ${table} (changed_at, code)`);
    // 40 codes over 2 change times, so pages end inside ties and their last keys need escaping.
    await sql(`INSERT INTO ${table} SELECT (ARRAY['ü', 'a,b', 'c"d', 'e|f', E'g\\nh'])[1 + g % 5] || g, timestamptz '2026-01-01Z' + ((g % 2) || ' hours')::interval FROM generate_series(1, 40) g`);
    const flow = await createDatabaseFlow(api, { title: `coded ${backend.name}`, specId: postgresSpec, baseConnectionId: connectionId, tableName: table, idColumn: 'code', deltaColumn: 'changed_at', fields: { code: { source: 'code', schema: { type: 'string' } } } });
    const first = await runNow(api, flow.flowId);
    expect(at(first, 'metrics.statusSummary.status'), JSON.stringify(at(first, 'metrics.statusSummary'))).toBe('success');
    expect(streamMetrics(first)).toMatchObject({ records: 40, pages: Math.ceil(41 / pageRows), keyset: ['changed_at', 'code'] });
    // Tied with the newest delta value landed, and after the last key landed (the database sorts by code points).
    await sql(`INSERT INTO ${table} VALUES ('üz,"|', timestamptz '2026-01-01Z' + interval '1 hour')`);
    const second = await runNow(api, flow.flowId);
    expect(streamMetrics(second)).toMatchObject({ records: 1 });
    const codes = (await lakeRows(api, flow.dataSetId, '_id')).map((r) => String(r._id));
    expect(new Set(codes).size).toBe(41);
    expect(codes).toEqual(expect.arrayContaining(['a,b1', 'c"d2', 'e|f3', 'g\nh4', 'ü5', 'üz,"|']));
  });

  it('reads in one ordered pass without an index on (delta, key), and a whole table in one pass, keys or none', async () => {
    const table = `${schema}.plain_${backend.name}`;
    // No primary key, no index: a text key column with commas and quotes, and ties in the delta column.
    await sql(`CREATE TABLE ${table} (region text, seq integer, note text, changed_at timestamp NOT NULL)`);
    await sql(`INSERT INTO ${table} SELECT (ARRAY['eu', 'us', 'ü,"x'])[1 + g % 3], g / 3, 'n' || g, timestamp '2026-01-01 00:00:00' + ((g % 4) || ' hours')::interval FROM generate_series(0, 49) g`);
    const fields = { region: { source: 'region', schema: { type: 'string' } } };
    const incremental = await createDatabaseFlow(api, { title: `plain delta ${backend.name}`, specId: postgresSpec, baseConnectionId: connectionId, tableName: table, idColumn: 'note', deltaColumn: 'changed_at', fields });
    const first = await runNow(api, incremental.flowId);
    expect(at(first, 'metrics.statusSummary.status'), JSON.stringify(at(first, 'metrics.statusSummary'))).toBe('success');
    expect(streamMetrics(first)).toMatchObject({ records: 50, pages: 1, pageRows: null, pushedDown: true, keyset: ['changed_at'] });
    await sql(`INSERT INTO ${table} VALUES ('eu', 100, 'later', timestamp '2026-01-01 05:00:00')`);
    const second = await runNow(api, incremental.flowId);
    expect(streamMetrics(second)).toMatchObject({ records: 1, pages: 1 });
    expect((await lakeRows(api, incremental.dataSetId, '_id')).map((r) => r._id)).toHaveLength(51);

    const full = await createDatabaseFlow(api, { title: `plain full ${backend.name}`, specId: postgresSpec, baseConnectionId: connectionId, tableName: table, idColumn: 'note', fields });
    const run = await runNow(api, full.flowId);
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(at(run, 'metrics.statusSummary'))).toBe('success');
    expect(streamMetrics(run)).toMatchObject({ records: 51, pages: 1, pushedDown: false, keyset: [] });
    const rows = await lakeRows(api, full.dataSetId, `_id, _${api.tenantId}.db.region AS region`);
    expect(new Set(rows.map((r) => r._id)).size).toBe(51);
    expect(rows.filter((r) => r.region === 'ü,"x')).toHaveLength(16);
  });
});
