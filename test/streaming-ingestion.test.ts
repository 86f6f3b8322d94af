import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { OwnDocument } from './support/contract/own-document.js';
import { lakeRows } from './support/file-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();
const flowservice = '/data/foundation/flowservice';
const httpApiSpec = { id: 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb', version: '1.0' };

describe.each(backends)('streaming ingestion (HTTP API source) on $name', (backend) => {
  let api: TestApi;
  let schemaId: string;
  let dataSetId: string;
  let connectionId: string;
  let inletUrl: string;
  let inletId: string;

  let reference: OwnDocument;
  /** Posts to an inlet as a sender does: no gateway headers, only JSON. The answer is checked against the API reference. */
  const send = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const text = await response.text();
    const answer = { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined, contentType: response.headers.get('content-type') };
    const { pathname, search } = new URL(url);
    const checked = { method: 'POST', path: `${pathname}${search}`, status: answer.status, contentType: answer.contentType ?? '', body: answer.json };
    for (const error of reference.check(checked)) api.contractViolations.push(`POST ${pathname} ${answer.status}: ${error}`);
    return answer;
  };
  const message = (entity: Record<string, unknown>, header: Record<string, unknown> = {}) => ({
    header: { schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' }, imsOrgId: api.credentials.ims_org, datasetId: dataSetId, ...header },
    body: { xdmMeta: { schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } }, xdmEntity: entity },
  });
  const createInlet = async (params: Record<string, unknown>) => {
    const created = await api.request('POST', `${flowservice}/connections`, { body: { name: `inlet ${JSON.stringify(params)}`, connectionSpec: httpApiSpec, auth: { specName: 'Streaming Connection', params } } });
    expect(created.status).toBe(201);
    const id = str(created.json, 'id');
    const fetched = await api.request('GET', `${flowservice}/connections/${id}`);
    return { id, url: str(fetched.json, 'items.0.auth.params.inletUrl'), inletId: str(fetched.json, 'items.0.auth.params.inletId'), params: at(fetched.json, 'items.0.auth.params') };
  };
  const rows = async (prefix: string, select = '_id, person.name.firstName AS first') => (await lakeRows(api, dataSetId, select)).filter((r) => String(r._id).startsWith(prefix));
  const streamBatches = async () => {
    const listed = (await api.request('GET', '/data/foundation/catalog/batches')).json as Record<string, { tags?: Record<string, string[]>; status: string; metrics?: Record<string, number> }>;
    return Object.entries(listed).filter(([, b]) => b.tags?.acp_producer?.[0] === 'tributary:streaming');
  };

  beforeAll(async () => {
    // Records land when told to in these tests; the bounds have tests of their own below.
    api = await startApi(backend, { streamFlush: { ageMs: 3_600_000 } });
    reference = await OwnDocument.fetch(api.baseUrl);
    schemaId = str((await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: tutorial.targetSchema })).json, '$id');
    dataSetId = str((await api.request('POST', '/data/foundation/catalog/dataSets', { body: tutorial.dataSet(schemaId) })).json, '0').split('/').pop() as string;
    ({ id: connectionId, url: inletUrl, inletId } = await createInlet({ dataType: 'xdm' }));
  });
  afterAll(async () => api?.close());

  it("shows the connection's inlet as AEP does: inletId, inletUrl on this server, sourceId and authenticationRequired", async () => {
    expect(inletId).toMatch(/^[0-9a-f]{64}$/);
    expect(inletUrl).toBe(`${api.baseUrl}/data/foundation/import/collection/${inletId}`);
    const fetched = await api.request('GET', `${flowservice}/connections/${connectionId}`);
    expect(at(fetched.json, 'items.0.auth')).toEqual({
      specName: 'Streaming Connection',
      params: { dataType: 'xdm', name: `inlet ${JSON.stringify({ dataType: 'xdm' })}`, sourceId: `inlet ${JSON.stringify({ dataType: 'xdm' })}`, authenticationRequired: false, inletId, inletUrl },
    });
  });

  it('takes an XDM message without gateway headers, answers at once, and lands it as a Catalog batch when flushed', async () => {
    const answered = await send(inletUrl, message({ _id: 'S1', person: { name: { firstName: 'Ada' } } }));
    expect(answered.status).toBe(200);
    expect(answered.json).toEqual({ inletId, xactionId: expect.stringMatching(/^\d+:\d+:\d+$/), receivedTimeMs: expect.any(Number), syncValidation: { skipped: true } });
    // AEP's Postman collection posts to /data/foundation/import/collection/{CONNECTION_ID}; AEP's own host is /collection/{inletId}.
    expect((await send(`${api.baseUrl}/data/foundation/import/collection/${connectionId}`, message({ _id: 'S2', person: { name: { firstName: 'Alan' } } }))).status).toBe(200);
    expect((await send(`${api.baseUrl}/collection/${inletId}`, message({ _id: 'S3' }))).status).toBe(200);
    expect(await rows('S')).toEqual([]);
    await api.app.streaming.flushAll();
    expect(await rows('S')).toEqual([
      { _id: 'S1', first: 'Ada' },
      { _id: 'S2', first: 'Alan' },
      { _id: 'S3', first: null },
    ]);
    const [batch] = await streamBatches();
    expect(batch?.[1]).toMatchObject({ status: 'success', metrics: { inputRecordCount: 3, outputRecordCount: 3 }, tags: { acp_connectionId: [connectionId] } });
    // Flushing again lands nothing twice.
    await api.app.streaming.flushAll();
    expect(await rows('S')).toHaveLength(3);
  });

  it('validates synchronously when asked (syncValidation or synchronousValidation): a bad record is a 400 and is dropped', async () => {
    const bad = await send(`${inletUrl}?syncValidation=true`, message({ _id: 'V1', nickname: 'x', person: { birthYear: 'long ago' } }));
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('json');
    expect(bad.json).toMatchObject({
      type: 'http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet',
      status: 400,
      title: 'Invalid XDM Message Format',
      report: {
        message: `inletId: [${inletId}] imsOrgId: [${api.credentials.ims_org}] Message is invalid`,
        cause: {
          _streamingValidation: [
            {
              message: '2 schema violations found',
              causingExceptions: expect.arrayContaining([
                expect.objectContaining({ keyword: 'additionalProperties', pointerToViolation: '#/nickname', message: expect.stringContaining('extraneous key [nickname]') }),
                expect.objectContaining({ keyword: 'type', pointerToViolation: '#/person/birthYear' }),
              ]),
            },
          ],
        },
      },
    });
    const good = await send(`${inletUrl}?synchronousValidation=True`, message({ _id: 'V2', person: { birthYear: 1990 } }));
    expect(good.status).toBe(200);
    expect(at(good.json, 'syncValidation')).toEqual({ status: 'pass' });
    await api.app.streaming.flushAll();
    expect(await rows('V', '_id, person.birthYear AS year')).toEqual([{ _id: 'V2', year: 1990 }]);
  });

  it('answers several messages one by one (207) and lands only those it accepted', async () => {
    const answered = await send(`${api.baseUrl}/data/foundation/import/collection/batch/${connectionId}`, {
      messages: [
        message({ _id: 'B1', person: { name: { firstName: 'Grace' } } }),
        { header: message({}).header },
        message({ _id: 'B3' }, { imsOrgId: 'invalidIMSOrg@AdobeOrg' }),
        message({ _id: 'B4' }, { datasetId: 'ffffffffffffffffffffffff' }),
        message({ _id: 'B5' }, { schemaRef: { id: 'https://ns.adobe.com/xdm/context/profile' } }),
        message({ _id: 'B6', person: { name: { firstName: 'Edsger' } } }),
      ],
    });
    expect(answered.status).toBe(207);
    const responses = at(answered.json, 'responses') as Record<string, unknown>[];
    expect(answered.json).toMatchObject({ inletId, batchId: expect.any(String), receivedTimeMs: expect.any(Number) });
    expect(responses[0]).toEqual({ xactionId: `${str(answered.json, 'batchId')}:0` });
    expect(responses[1]).toEqual({ statusCode: 400, message: expect.stringContaining('unknown xdm format') });
    expect(responses[2]).toEqual({ statusCode: 400, message: expect.stringContaining('absent or wrong ims org') });
    expect(responses[3]).toEqual({ statusCode: 400, message: expect.stringContaining('ffffffffffffffffffffffff') });
    expect(responses[4]).toEqual({ statusCode: 400, message: expect.stringContaining('unknown xdm format') });
    expect(responses[5]).toEqual({ xactionId: `${str(answered.json, 'batchId')}:5` });
    await api.app.streaming.flushAll();
    expect(await rows('B')).toEqual([
      { _id: 'B1', first: 'Grace' },
      { _id: 'B6', first: 'Edsger' },
    ]);
  });

  it('keeps a record that fails validation later with its reasons in its batch, without holding back the others', async () => {
    expect((await send(inletUrl, message({ _id: 'A1', person: { birthYear: 'soon' } }))).status).toBe(200);
    expect((await send(inletUrl, message({ _id: 'A2', person: { birthYear: 2001 } }))).status).toBe(200);
    await api.app.streaming.flushAll();
    expect(await rows('A', '_id, person.birthYear AS year')).toEqual([{ _id: 'A2', year: 2001 }]);
    const batches = await streamBatches();
    const [batchId, batch] = batches[batches.length - 1] as [string, { status: string; metrics?: Record<string, number> }];
    expect(batch).toMatchObject({ status: 'success', metrics: { failedRecordCount: 1, outputRecordCount: 1 } });
    const errors = await api.request('GET', `/data/foundation/export/batches/${batchId}/meta?path=row_errors`);
    const href = str(errors.json, 'data.0._links.self.href');
    const kept = await (await fetch(`${api.baseUrl}${href}`, { headers: api.gatewayHeaders() })).text();
    expect(kept).toContain('soon');
    expect(kept).toContain('person.birthYear');
  });

  it('maps raw records with the dataflow named by x-adobe-flow-id, through its mapping set', async () => {
    const raw = await createInlet({ dataType: 'raw' });
    const source = await api.request('POST', `${flowservice}/sourceConnections`, { body: { name: 'raw source', baseConnectionId: raw.id, connectionSpec: httpApiSpec } });
    expect(source.status).toBe(201);
    const target = await api.request('POST', `${flowservice}/targetConnections`, { body: tutorial.targetConnection(schemaId, dataSetId, 'c604ff05-7f1a-43c0-8e18-33bf874cb11c') });
    const mapping = await api.request('POST', '/data/foundation/conversion/mappingSets', {
      body: {
        outputSchema: { schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
        mappings: [
          { sourceType: 'ATTRIBUTE', source: 'id', destination: '_id' },
          { sourceType: 'EXPRESSION', source: 'upper(name)', destination: 'person.name.firstName' },
          { sourceType: 'ATTRIBUTE', source: 'birthday.year', destination: 'person.birthYear' },
        ],
      },
    });
    const flow = await api.request('POST', `${flowservice}/flows`, {
      body: {
        name: 'raw streaming dataflow',
        flowSpec: { id: 'c1a19761-d2c7-4702-b9fa-fe91f0613e81', version: '1.0' },
        sourceConnectionIds: [str(source.json, 'id')],
        targetConnectionIds: [str(target.json, 'id')],
        transformations: [{ name: 'Mapping', params: { mappingId: str(mapping.json, 'id'), mappingVersion: 0 } }],
      },
    });
    expect(flow.status).toBe(201);
    const flowId = str(flow.json, 'id');
    expect(at((await api.request('GET', `${flowservice}/flows/${flowId}`)).json, 'items.0.scheduleParams')).toBeUndefined();
    expect((await api.request('POST', `${flowservice}/runs`, { body: { flowId } })).status, 'a streaming flow has no runs to start').toBe(400);
    expect((await send(raw.url, { id: 'R1', name: 'Johnson Smith', birthday: { year: 1984 } }, { 'x-adobe-flow-id': flowId })).status).toBe(200);
    expect((await send(`${raw.url}?x-adobe-flow-id=${flowId}`, { id: 'R2', name: 'Mary' })).status).toBe(200);
    const unnamed = await send(raw.url, { id: 'R3' });
    expect(unnamed.status).toBe(400);
    expect(JSON.stringify(unnamed.json)).toContain('x-adobe-flow-id');
    await api.app.streaming.flushAll();
    expect(await rows('R', '_id, person.name.firstName AS first, person.birthYear AS year')).toEqual([
      { _id: 'R1', first: 'JOHNSON SMITH', year: 1984 },
      { _id: 'R2', first: 'MARY', year: null },
    ]);
  });

  it('takes XDM through a dataflow without transformations, named in the header', async () => {
    const source = await api.request('POST', `${flowservice}/sourceConnections`, { body: { name: 'xdm source', baseConnectionId: connectionId, connectionSpec: httpApiSpec } });
    const target = await api.request('POST', `${flowservice}/targetConnections`, { body: tutorial.targetConnection(schemaId, dataSetId, 'c604ff05-7f1a-43c0-8e18-33bf874cb11c') });
    const flow = await api.request('POST', `${flowservice}/flows`, {
      body: { name: 'xdm streaming dataflow', flowSpec: { id: 'd8a6f005-7eaf-4153-983e-e8574508b877', version: '1.0' }, sourceConnectionIds: [str(source.json, 'id')], targetConnectionIds: [str(target.json, 'id')] },
    });
    expect(flow.status).toBe(201);
    const withFlow = message({ _id: 'F1' }, { flowId: str(flow.json, 'id') });
    delete (withFlow.header as Record<string, unknown>).datasetId;
    expect((await send(inletUrl, withFlow)).status).toBe(200);
    await api.app.streaming.flushAll();
    expect(await rows('F', '_id')).toEqual([{ _id: 'F1' }]);
  });

  it('requires a token of the inlet\'s org on an authenticated connection, answering in the inlet shape', async () => {
    const secured = await createInlet({ dataType: 'xdm', authenticationRequired: true });
    const missing = await send(secured.url, message({ _id: 'T1' }));
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ type: 'https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization', status: 401, title: 'Authorization', report: { message: `[${secured.inletId}] Ims service token is empty` } });
    expect((await send(secured.url, message({ _id: 'T1' }), { authorization: 'Bearer not-a-token' })).status).toBe(401);
    const other = await api.app.credentials.create('OTHERORG@AdobeOrg', 'another org');
    expect((await send(secured.url, message({ _id: 'T1' }), { authorization: `Bearer ${other.access_token}` })).status).toBe(403);
    expect((await send(secured.url, message({ _id: 'T1' }), { authorization: api.gatewayHeaders().authorization as string })).status).toBe(200);
    expect((await send(`${api.baseUrl}/collection/${'0'.repeat(64)}`, message({ _id: 'T2' }))).status).toBe(404);
    const malformed = await fetch(inletUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"header": ' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ type: 'http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet', status: 400 });
    const huge = await send(inletUrl, message({ _id: 'T3', person: { name: { firstName: 'x'.repeat(1_100_000) } } }));
    expect(huge.status).toBe(413);
    await api.app.streaming.flushAll();
  });

  it('loses and doubles nothing that was acknowledged across a restart, also a batch claimed but not landed', async () => {
    for (const id of ['K1', 'K2']) expect((await send(inletUrl, message({ _id: id }))).status).toBe(200);
    // A batch claims K1 and K2 and the process stops before it lands them.
    const { StreamQueue } = await import('../src/services/import/stream-queue.repository.js');
    const queue = new StreamQueue(api.store.db);
    const [group] = await queue.pendingGroups();
    expect(group?.records).toBe(2);
    const claimedId = 'c'.repeat(32);
    const now = Date.now();
    const claimed = await queue.claim(group as NonNullable<typeof group>, claimedId, { maxRecords: 100, maxBytes: 1e9 }, now, async (trx) => {
      await trx.insertInto('resources').values({ kind: 'catalog.batch', id: claimedId, org_id: group?.scope.orgId ?? '', sandbox_id: group?.scope.sandboxId ?? '', body: JSON.stringify({ id: claimedId, status: 'loading', relatedObjects: [{ type: 'dataSet', id: dataSetId }], inputFormat: { format: 'json' }, tags: {}, created: now, updated: now }), secret: null, etag: '1', created_at: now, updated_at: now, unique_key: null }).execute();
    });
    expect(claimed).toBe(2);
    expect((await send(inletUrl, message({ _id: 'K3' }))).status).toBe(200);
    await api.restart();
    const restartedUrl = `${api.baseUrl}/data/foundation/import/collection/${inletId}`;
    expect((await send(restartedUrl, message({ _id: 'K4' }))).status).toBe(200);
    await api.app.streaming.flushAll();
    expect(await rows('K', '_id')).toEqual([{ _id: 'K1' }, { _id: 'K2' }, { _id: 'K3' }, { _id: 'K4' }]);
    expect(at((await api.request('GET', `/data/foundation/catalog/batches/${claimedId}`)).json, `${claimedId}.status`)).toBe('success');
    expect(await new StreamQueue(api.store.db).count()).toBe(0);
    await api.restart();
    await api.app.streaming.flushAll();
    expect(await rows('K', '_id')).toHaveLength(4);
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});

describe.each(backends)('streaming flush bounds on $name', (backend) => {
  let api: TestApi;
  afterAll(async () => api?.close());

  it('lands a batch as soon as one inlet and dataset have the bound of records waiting, and the rest after the wait', { timeout: 60_000 }, async () => {
    api = await startApi(backend, { streamFlush: { records: 3, ageMs: 1_500 } });
    const schemaId = str((await api.request('POST', '/data/foundation/schemaregistry/tenant/schemas', { body: tutorial.targetSchema })).json, '$id');
    const dataSetId = str((await api.request('POST', '/data/foundation/catalog/dataSets', { body: tutorial.dataSet(schemaId) })).json, '0').split('/').pop() as string;
    const created = await api.request('POST', `${flowservice}/connections`, { body: { name: 'bounded inlet', connectionSpec: httpApiSpec, auth: { specName: 'Streaming Connection', params: { dataType: 'xdm' } } } });
    const url = str((await api.request('GET', `${flowservice}/connections/${str(created.json, 'id')}`)).json, 'items.0.auth.params.inletUrl');
    const messages = Array.from({ length: 7 }, (_, i) => ({ header: { datasetId: dataSetId }, body: { xdmEntity: { _id: `L${i}` } } }));
    const answered = await fetch(url.replace('/collection/', '/collection/batch/'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messages }) });
    expect(answered.status).toBe(207);
    const landed = async () => (await lakeRows(api, dataSetId, '_id')).length;
    const started = Date.now();
    while ((await landed()) < 6 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await landed()).toBe(6);
    const sizes = async () => Object.values((await api.request('GET', '/data/foundation/catalog/batches')).json as Record<string, { metrics?: { outputRecordCount?: number } }>).map((b) => b.metrics?.outputRecordCount).sort();
    expect(await sizes()).toEqual([3, 3]);
    // The seventh waits for the time bound.
    while ((await landed()) < 7 && Date.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await sizes()).toEqual([1, 3, 3]);
  });
});
