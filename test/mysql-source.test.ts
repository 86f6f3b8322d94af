import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createFlowFrom, lakeRows, postFor, runNow } from './support/file-flow.js';
import { createAllTypesTable, createMariaDbFixture, createWideTable, mariadbAvailable, type MariaDbFixture } from './support/mariadb-fixture.js';
import { crmFlowSpec, flowservice } from './support/payment-sources.js';
import { at, startApi, type TestApi } from './support/test-api.js';

const mariadbSpec = '3000eb99-cd47-43f3-827c-43caf170f015';
const mysqlSpec = '26d738e0-8963-47ea-aadf-c60de735468a';
const [sqlite] = await availableBackends();
const withMariaDb = await mariadbAvailable();

/** What the read reported about its table (queries, pages, records …), as the run shows it. */
const streamMetrics = (run: unknown) => at(run, 'activities.0.statusSummary.extensions.streams.0') as Record<string, unknown> | undefined;

/**
 * The MySQL and MariaDB sources against the MariaDB server on this machine, over HTTP as a script would use them:
 * connection test, explore, runs that land every type, incremental runs that read only the changed rows, and the
 * failures a person must act on.
 */
describe.runIf(withMariaDb)('MySQL and MariaDB sources', () => {
  let api: TestApi;
  let db: MariaDbFixture;

  beforeAll(async () => {
    db = await createMariaDbFixture();
    await createAllTypesTable(db);
    await db.sql('CREATE VIEW paid AS SELECT id, amount, label FROM all_types WHERE amount > 0');
    api = await startApi(sqlite!);
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  const createConnection = async (connectionString: string, spec = mariadbSpec) =>
    postFor(api, `${flowservice}/connections`, {
      name: `mariadb ${Math.random()}`,
      auth: { specName: 'Connection String Based Authentication', params: { connectionString } },
      connectionSpec: { id: spec, version: '1.0' },
    });
  const explore = (connectionId: string, query: string) => api.request('GET', `${flowservice}/connections/${connectionId}/explore?${query}`);

  it('tests the connection, lists tables and views, and describes a table with typed columns and a preview', async () => {
    for (const spec of [mariadbSpec, mysqlSpec]) {
      const connectionId = await createConnection(db.connectionString(), spec);
      const test = await api.request('GET', `${flowservice}/connections/${connectionId}/test`);
      expect(test.status, test.text).toBe(200);
      expect(test.text).toMatch(/MariaDB/);

      const root = await explore(connectionId, 'objectType=root');
      expect(root.status, root.text).toBe(200);
      const names = (root.json as { name: string; type: string }[]).map((entry) => [entry.name, entry.type]);
      expect(names).toEqual([
        [`${db.database}.all_types`, 'table'],
        [`${db.database}.paid`, 'table'],
      ]);
    }
    const connectionId = await createConnection(db.connectionString());
    const table = await explore(connectionId, `objectType=table&object=all_types&preview=true`);
    expect(table.status, table.text).toBe(200);
    const columns = Object.fromEntries((at(table.json, 'schema.columns') as { name: string; type: string; 'meta:xdmType'?: string }[]).map((c) => [c.name, c['meta:xdmType'] ? `${c.type}/${c['meta:xdmType']}` : c.type]));
    expect(columns).toEqual({
      id: 'integer', tiny: 'integer', small: 'integer', medium: 'integer', regular: 'integer', big: 'integer', ubig: 'integer',
      amount: 'number', wide: 'number', huge: 'number', ratio: 'number', measure: 'number',
      flag: 'boolean', bit1: 'boolean', bits: 'integer',
      code: 'string', label: 'string', body: 'string', kind: 'string', tags: 'array',
      day: 'string/date', local_at: 'string/date-time', stamped_at: 'string/date-time', duration: 'string', yr: 'integer',
      doc: 'string', raw: 'string', fixed: 'string', ident: 'string',
    });
    const [first, second, third] = at(table.json, 'data') as Record<string, unknown>[];
    expect(first).toMatchObject({
      id: 1, tiny: -5, small: 65535, regular: 4294967295, big: '-9223372036854775808', ubig: '18446744073709551615',
      amount: 1234.56, flag: true, bit1: true, bits: 2730, label: 'Café "déjà vu", ok', body: 'line one\nline two, with comma',
      kind: 'bank', tags: ['new', 'late'], day: '2024-02-29', local_at: '2024-03-01T12:34:56.123456Z', stamped_at: '2024-03-01T10:00:00.250Z',
      duration: '-838:59:59', yr: 2024, doc: '{"a": [1, 2], "b": {"c": "ü"}}', raw: 'AP8Q', fixed: '3q2+7w==', ident: '123e4567-e89b-12d3-a456-426614174000',
    });
    expect(second).toMatchObject({ flag: false, bit1: false, bits: 0, code: '', tags: [], raw: '' });
    expect(third).toMatchObject({ tiny: null, label: '𝄞 emoji 🎉 and 中文', tags: null, day: null, doc: null, raw: null });

    const view = await explore(connectionId, `objectType=table&object=${db.database}.paid&preview=true`);
    expect(view.status, view.text).toBe(200);
    expect((at(view.json, 'data') as unknown[]).length).toBe(1);
  });

  /** A source connection on a table, and a flow into a dataset whose schema has a field for each mapped column. */
  const createTypedFlow = async (connectionString: string, tableName: string, fields: Record<string, Record<string, unknown>>, options: { delta?: string } = {}) => {
    const connectionId = await createConnection(connectionString);
    const sourceId = await postFor(api, `${flowservice}/sourceConnections`, {
      name: `source ${tableName} ${Math.random()}`,
      baseConnectionId: connectionId,
      data: { format: 'tabular' },
      params: { tableName },
      connectionSpec: { id: mariadbSpec, version: '1.0' },
    });
    const title = `mysql ${tableName} ${Math.random()}`;
    const group = await postFor(
      api,
      '/data/foundation/schemaregistry/tenant/fieldgroups',
      {
        title: `group ${title}`,
        type: 'object',
        'meta:intendedToExtend': ['https://ns.adobe.com/xdm/context/profile'],
        definitions: { fields: { properties: { [`_${api.tenantId}`]: { type: 'object', properties: { mysql: { type: 'object', properties: fields } } } } } },
        allOf: [{ $ref: '#/definitions/fields' }],
      },
      '$id',
    );
    const schemaId = await postFor(
      api,
      '/data/foundation/schemaregistry/tenant/schemas',
      { type: 'object', title: `schema ${title}`, allOf: [{ $ref: 'https://ns.adobe.com/xdm/context/profile' }, { $ref: group }], 'meta:class': 'https://ns.adobe.com/xdm/context/profile' },
      '$id',
    );
    const dataSetId = (await postFor(api, '/data/foundation/catalog/dataSets', { name: `dataset ${title}`, schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full-notext+json; version=1' } }, '0')).split('/').pop() as string;
    const target = await postFor(api, `${flowservice}/targetConnections`, {
      name: `target ${title}`,
      data: { schema: { id: schemaId, version: 'application/vnd.adobe.xed-full+json;version=1.0' } },
      params: { dataSetId },
      connectionSpec: { id: 'c604ff05-7f1a-43c0-8e18-33bf874cb11c', version: '1.0' },
    });
    const rule = (destinationXdmPath: string, sourceAttribute: string) => ({ destinationXdmPath, sourceAttribute, identity: false, version: 0 });
    const mappingId = await postFor(api, '/data/foundation/conversion/mappingSets', {
      version: 0,
      xdmSchema: schemaId,
      xdmVersion: '1.0',
      mappings: [rule('_id', 'id'), ...Object.keys(fields).map((name) => rule(`_${api.tenantId}.mysql.${name}`, name))],
    });
    const flowId = await postFor(api, `${flowservice}/flows`, {
      name: `flow ${title}`,
      flowSpec: { id: crmFlowSpec, version: '1.0' },
      sourceConnectionIds: [sourceId],
      targetConnectionIds: [target],
      transformations: [
        ...(options.delta ? [{ name: 'Copy', params: { deltaColumn: { name: options.delta } } }] : []),
        { name: 'Mapping', params: { mappingId, mappingVersion: 0 } },
      ],
      scheduleParams: { startTime: 1567411548, frequency: 'once' },
    });
    return { flowId, dataSetId, sourceId };
  };

  it('lands a column of every type with its value, NULLs and unicode kept', async () => {
    const string = { type: 'string' };
    const integer = { type: 'integer' };
    const number = { type: 'number' };
    const boolean = { type: 'boolean' };
    const fields = {
      tiny: integer, small: integer, medium: integer, regular: integer, big: integer, ubig: string,
      amount: number, wide: number, huge: number, ratio: number, measure: number,
      flag: boolean, bit1: boolean, bits: integer,
      code: string, label: string, body: string, kind: string, tags: { type: 'array', items: string },
      day: { type: 'string', format: 'date' }, local_at: { type: 'string', format: 'date-time' }, stamped_at: { type: 'string', format: 'date-time' },
      duration: string, yr: integer, doc: string, raw: string, fixed: string, ident: string,
    };
    const flow = await createTypedFlow(db.connectionString(), 'all_types', fields);
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status'), JSON.stringify(run)).toBe('success');
    expect(at(run, 'metrics.recordSummary')).toMatchObject({ inputRecordCount: 3, outputRecordCount: 3, failedRecordCount: 0 });
    const m = `"_${api.tenantId}".mysql`;
    const rows = await lakeRows(
      api,
      flow.dataSetId,
      `_id, ${m}.tiny, ${m}.small, ${m}.medium, ${m}.regular, CAST(${m}.big AS VARCHAR) AS big, ${m}.ubig, ${m}.amount, ${m}.wide, ${m}.huge, ${m}.ratio, ${m}.measure,
       ${m}.flag, ${m}.bit1, ${m}.bits, ${m}.code, ${m}.label, ${m}.body, ${m}.kind, ${m}.tags,
       CAST(${m}.day AS VARCHAR) AS day, strftime(${m}.local_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS local_at,
       strftime(${m}.stamped_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS stamped_at, ${m}.duration, ${m}.yr, ${m}.doc, ${m}.raw, ${m}.fixed, ${m}.ident`,
    );
    // XDM integers land as BIGINT, which DuckDB's JSON rows hand over as text.
    expect(rows).toEqual([
      {
        _id: '1', tiny: '-5', small: '65535', medium: '-8388608', regular: '4294967295', big: '-9223372036854775808', ubig: '18446744073709551615',
        amount: 1234.56, wide: expect.closeTo(1.2345678901234568e27, -14), huge: expect.closeTo(1.2345678901234568e29, -16), ratio: 1.5, measure: 2.718281828459045,
        flag: true, bit1: true, bits: '2730', code: 'EUR', label: 'Café "déjà vu", ok', body: 'line one\nline two, with comma', kind: 'bank', tags: ['new', 'late'],
        day: '2024-02-29', local_at: '2024-03-01T12:34:56.123456Z', stamped_at: '2024-03-01T10:00:00.250000Z', duration: '-838:59:59', yr: '2024',
        doc: '{"a": [1, 2], "b": {"c": "ü"}}', raw: 'AP8Q', fixed: '3q2+7w==', ident: '123e4567-e89b-12d3-a456-426614174000',
      },
      {
        _id: '2', tiny: '127', small: '0', medium: '0', regular: '0', big: '9223372036854775807', ubig: '0',
        amount: -0.01, wide: 0, huge: 0, ratio: -3.25, measure: -1e300,
        flag: false, bit1: false, bits: '0', code: '', label: '', body: '', kind: 'cash', tags: [],
        day: '1970-01-01', local_at: '1999-12-31T23:59:59.000000Z', stamped_at: '2038-01-19T03:14:07.999000Z', duration: '00:00:01', yr: '1901',
        doc: '[]', raw: '', fixed: 'AAAAAA==', ident: '00000000-0000-0000-0000-000000000000',
      },
      {
        _id: '3', tiny: null, small: null, medium: null, regular: null, big: null, ubig: null, amount: null, wide: null, huge: null, ratio: null, measure: null,
        flag: null, bit1: null, bits: null, code: null, label: '𝄞 emoji 🎉 and 中文', body: null, kind: null, tags: null,
        day: null, local_at: null, stamped_at: null, duration: null, yr: null, doc: null, raw: null, fixed: null, ident: null,
      },
    ]);
  });

  const runsOf = async (flowId: string) => at((await api.request('GET', `${flowservice}/runs?property=flowId==${flowId}&orderby=createdAt`)).json, 'items') as unknown[];

  it('lands a million rows, then exactly the rows updated since, read with the delta window in SQL', async () => {
    await createWideTable(db, 'orders', 1_000_000, '2024-01-01 00:00:00');
    const connectionId = await createConnection(db.connectionString());
    const sourceId = await postFor(api, `${flowservice}/sourceConnections`, {
      name: 'orders',
      baseConnectionId: connectionId,
      data: { format: 'tabular' },
      params: { tableName: 'orders' },
      connectionSpec: { id: mariadbSpec, version: '1.0' },
    });
    const flow = await createFlowFrom(api, sourceId, {
      title: 'mysql orders',
      flowSpecId: crmFlowSpec,
      deltaColumn: { name: 'updated_at' },
      columns: { id: 'id', name: 'name', description: 'description', type: 'kind' },
    });
    const count = async (where = 'true') => Number((await lakeRows(api, flow.dataSetId, `count(*) FILTER (WHERE ${where}) AS n`, '1'))[0]?.n);

    const first = await runNow(api, flow.flowId);
    expect(at(first, 'metrics.statusSummary.status'), JSON.stringify(at(first, 'metrics.statusSummary'))).toBe('success');
    expect(at(first, 'metrics.recordSummary')).toMatchObject({ inputRecordCount: 1_000_000, outputRecordCount: 1_000_000, failedRecordCount: 0 });
    expect(streamMetrics(first)).toMatchObject({ records: 1_000_000, pushedDown: true, keyset: ['updated_at', 'id'] });
    expect(await count()).toBe(1_000_000);

    // 1,233 rows change (every 811th); a further one changes inside the same second as the first run's newest row.
    await db.sql("UPDATE orders SET updated_at = '2024-02-01 10:00:00.5', name = CONCAT('renamed ', id) WHERE id % 811 = 0");
    const second = await runNow(api, flow.flowId);
    expect(at(second, 'metrics.statusSummary.status'), JSON.stringify(at(second, 'metrics.statusSummary'))).toBe('success');
    expect(at(second, 'metrics.recordSummary')).toMatchObject({ inputRecordCount: 1233, outputRecordCount: 1233 });
    expect(streamMetrics(second)).toMatchObject({ records: 1233 });
    expect(await count()).toBe(1_001_233);
    expect(await count("starts_with(\"_" + api.tenantId + "\".product.name, 'renamed ')")).toBe(1233);

    const third = await runNow(api, flow.flowId);
    expect(at(third, 'metrics.statusSummary.status')).toBe('success');
    expect(at(third, 'metrics.recordSummary.inputRecordCount')).toBe(0);
    expect(streamMetrics(third)).toMatchObject({ records: 0 });
    expect(await runsOf(flow.flowId)).toHaveLength(3);
  }, 240_000);

  it('says what to fix when the password is wrong, the host unknown, nothing listens, TLS is missing, or a grant or table is missing', async () => {
    const password = 'Sup3r-secret-pw!';
    const cases: { connectionString: string; message: RegExp }[] = [
      { connectionString: db.connectionString({ password }), message: /refused user "root".*check UID and PWD/ },
      { connectionString: db.connectionString({ host: 'no-such-host.invalid', password }), message: /host "no-such-host\.invalid" is unknown.*check Server/ },
      { connectionString: db.connectionString({ port: 1, password }), message: /nothing accepts connections at 127\.0\.0\.1:1.*check Server and Port/ },
      { connectionString: db.connectionString({ extra: 'SslMode=Required' }), message: /does not offer TLS.*SslMode=Preferred/ },
      { connectionString: db.connectionString({ extra: 'SslMode=Sometimes' }), message: /SslMode must be None, Preferred, Required, VerifyCA or VerifyFull/ },
      { connectionString: db.connectionString().replace(`Database=${db.database}`, 'Database=mysqlsrc_absent'), message: /database "mysqlsrc_absent" does not exist.*check Database/ },
    ];
    for (const { connectionString, message } of cases) {
      const connectionId = await createConnection(connectionString);
      const test = await api.request('GET', `${flowservice}/connections/${connectionId}/test`);
      expect(test.status, test.text).toBe(200);
      expect(at(test.json, 'status'), test.text).toBe('failed');
      expect(String(at(test.json, 'message'))).toMatch(message);
      expect(test.text).not.toContain(password);
      expect(test.text).not.toMatch(/\n\s+at /);
    }
    // TLS when the server offers it: this one does not, so the session goes on in the clear.
    const preferred = await createConnection(db.connectionString({ extra: 'SslMode=Preferred' }));
    expect(at((await api.request('GET', `${flowservice}/connections/${preferred}/test`)).json, 'status')).toBe('ok');

    // A user with no grant at all may not even use the database.
    const stranger = await db.createUser([]);
    const strangerConnection = await createConnection(db.connectionString(stranger));
    const refused = await api.request('GET', `${flowservice}/connections/${strangerConnection}/test`);
    expect(at(refused.json, 'message'), refused.text).toMatch(new RegExp(`user "${stranger.user}" may not use database "${db.database}": grant it access`));
    expect(refused.text).not.toContain(stranger.password);

    // A user who may read one table but not the view beside it.
    const reader = await db.createUser([`SELECT ON \`${db.database}\`.all_types`]);
    const readerConnection = await createConnection(db.connectionString(reader));
    const listed = await explore(readerConnection, 'objectType=root');
    expect((listed.json as { name: string }[]).map((entry) => entry.name)).toEqual([`${db.database}.all_types`]);
    const forbidden = await explore(readerConnection, 'objectType=table&object=paid&preview=true');
    expect(forbidden.status, forbidden.text).toBe(400);
    expect(forbidden.text).toMatch(new RegExp(`user \\\\"${reader.user}\\\\" may not read \\\\"paid\\\\".*grant it SELECT`));

    // A table that is not there, in explore and in a run.
    const rootConnection = await createConnection(db.connectionString());
    const missing = await explore(rootConnection, 'objectType=table&object=no_such_table');
    expect(missing.status, missing.text).toBe(400);
    expect(missing.text).toMatch(/has no table or view no_such_table/);
    const flow = await createTypedFlow(db.connectionString(), 'no_such_table', { label: { type: 'string' } });
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status')).toBe('failed');
    expect(JSON.stringify(at(run, 'metrics.statusSummary'))).toMatch(/has no table or view no_such_table/);
  });

  it('keeps the connection string encrypted and never shows it', async () => {
    const password = 'An0ther-secret-pw';
    const connectionId = await createConnection(db.connectionString({ password }));
    const read = await api.request('GET', `${flowservice}/connections/${connectionId}`);
    expect(read.status).toBe(200);
    expect(read.text).not.toContain(password);
    expect(at(read.json, 'items.0.auth.params.connectionString')).toBe('********');
    const row = await api.store.db.selectFrom('resources').selectAll().where('id', '=', connectionId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(password);
    expect(api.openSecret(row.secret as string)).toMatchObject({ connectionString: db.connectionString({ password }) });
  });
});
