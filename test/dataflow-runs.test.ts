import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createFileFlow, lakeRows, runNow } from './support/file-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const header = 'Product_Id,Product_Name,Description,Type,updatedAt\n';

describe.each(backends)('dataflow runs from local files on $name', (backend) => {
  let api: TestApi;
  let root: string;

  beforeAll(async () => {
    api = await startApi(backend);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-source-'));
    fs.mkdirSync(path.join(root, 'paypal'));
    fs.writeFileSync(
      path.join(root, 'paypal', 'catalog_products.csv'),
      `${header}P1,Widget,A widget,PHYSICAL,2024-01-02 10:00:00\nP2,E-book,A book,DIGITAL,2024-01-03 11:00:00\nP3,Service plan,,SERVICE,2024-01-04 12:00:00\n`,
    );
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lands a CSV source in the dataset as one successful batch, and reports the run as AEP does', async () => {
    const flow = await createFileFlow(api, { root, path: 'paypal/catalog_products.csv', format: 'delimited', title: 'csv' });
    const run = await runNow(api, flow.flowId);
    expect(run).toMatchObject({
      flowId: flow.flowId,
      metrics: {
        recordSummary: { inputRecordCount: 3, outputRecordCount: 3, failedRecordCount: 0 },
        fileSummary: { inputFileCount: 1, outputFileCount: 1 },
        statusSummary: { status: 'success', errors: [] },
      },
      activities: [{ id: 'copyActivity' }, { id: 'promotionActivity', targetInfo: [{ type: 'TargetConnection', reference: { type: 'Batch' } }] }],
    });
    const batchId = str(run, 'activities.1.targetInfo.0.reference.ids.0');
    const batch = await api.request('GET', `/data/foundation/catalog/batches/${batchId}`);
    expect(batch.json).toMatchObject({ [batchId]: { status: 'success', relatedObjects: [{ type: 'dataSet', id: flow.dataSetId }], metrics: { outputRecordCount: 3 }, tags: { acp_flowId: [flow.flowId] } } });
    const rows = await lakeRows(api, flow.dataSetId, `_id, ${'_' + api.tenantId}.product.name AS name, ${'_' + api.tenantId}.product.type AS type`);
    expect(rows).toEqual([
      { _id: 'P1', name: 'Widget', type: 'PHYSICAL' },
      { _id: 'P2', name: 'E-book', type: 'DIGITAL' },
      { _id: 'P3', name: 'Service plan', type: 'SERVICE' },
    ]);
    const runs = await api.request('GET', `/data/foundation/flowservice/runs?property=flowId==${flow.flowId}`);
    expect(at(runs.json, 'items')).toHaveLength(1);
    const flowNow = await api.request('GET', `/data/foundation/flowservice/flows/${flow.flowId}`);
    expect(at(flowNow.json, 'items.0.lastRunDetails')).toMatchObject({ id: str(run, 'id'), state: 'success' });
  });

  it('loads incrementally: a second run lands only rows newer than the first run\'s watermark', async () => {
    fs.mkdirSync(path.join(root, 'incremental'));
    const file = path.join(root, 'incremental', 'products.csv');
    fs.writeFileSync(file, `${header}A1,First,,PHYSICAL,2024-02-01 00:00:00\nA2,Second,,PHYSICAL,2024-02-02 00:00:00\n`);
    const flow = await createFileFlow(api, { root, path: 'incremental/products.csv', format: 'delimited', title: 'incremental' });
    expect(at(await runNow(api, flow.flowId), 'metrics.recordSummary.outputRecordCount')).toBe(2);
    fs.appendFileSync(file, 'A3,Third,,DIGITAL,2024-02-03 00:00:00\nA4,No date,,DIGITAL,\n');
    const second = await runNow(api, flow.flowId);
    expect(second).toMatchObject({ metrics: { recordSummary: { inputRecordCount: 2, outputRecordCount: 1, skippedRecordCount: 1 }, statusSummary: { status: 'success' } } });
    expect(JSON.stringify(at(second, 'metrics.statusSummary.errors'))).toContain('delta column');
    const third = await runNow(api, flow.flowId);
    expect(at(third, 'metrics.recordSummary.outputRecordCount')).toBe(0);
    expect((await lakeRows(api, flow.dataSetId, '_id')).map((r) => r._id)).toEqual(['A1', 'A2', 'A3']);
  });

  it('counts every row of a large source as it writes it, and a rejected row moves the watermark to the microsecond', async () => {
    fs.mkdirSync(path.join(root, 'counted'));
    const file = path.join(root, 'counted', 'products.csv');
    // Enough rows for DuckDB to read them in several chunks, on both threads; every 1,000th has no delta value.
    const stamp = (i: number) => new Date(Date.UTC(2024, 5, 1) + i * 1000).toISOString().replace('T', ' ').replace('Z', '').replace(/\.\d+$/, '.000000');
    const lines = Array.from({ length: 10_000 }, (_, i) => `C${i},Name ${i},,PHYSICAL,${i % 1000 === 999 ? '' : stamp(i)},${1900 + (i % 100)}`);
    // The newest row is rejected (its year is no number): the watermark still reaches it, so no later run reads it again.
    lines.push('C-late,Late,,PHYSICAL,2024-06-30 23:59:59.123456,not a year');
    fs.writeFileSync(file, `Product_Id,Product_Name,Description,Type,updatedAt,Year\n${lines.join('\n')}\n`);
    const flow = await createFileFlow(api, { root, path: 'counted/products.csv', format: 'delimited', title: 'counted', extraMappings: [{ destinationXdmPath: 'person.birthYear', sourceAttribute: 'Year' }], options: { partialIngestionPercent: 1 } });
    const first = await runNow(api, flow.flowId);
    expect(first).toMatchObject({ metrics: { recordSummary: { inputRecordCount: 10_001, outputRecordCount: 9_990, failedRecordCount: 1, skippedRecordCount: 10 }, statusSummary: { status: 'success' } } });

    // One microsecond after the rejected row: only a watermark kept to the microsecond lands it and not the other.
    fs.appendFileSync(file, 'C-next,Next,,PHYSICAL,2024-06-30 23:59:59.123457,2001\n');
    const second = await runNow(api, flow.flowId);
    expect(second).toMatchObject({ metrics: { recordSummary: { inputRecordCount: 11, outputRecordCount: 1, failedRecordCount: 0, skippedRecordCount: 10 }, statusSummary: { status: 'success' } } });
    expect(await lakeRows(api, flow.dataSetId, '_id')).toHaveLength(9_991);
  });

  it('reads JSON lines and Parquet sources the same way', async () => {
    fs.mkdirSync(path.join(root, 'json'));
    fs.writeFileSync(path.join(root, 'json', 'a.json'), '{"Product_Id":"J1","Product_Name":"Json one","Description":"d","Type":"DIGITAL","updatedAt":"2024-03-01 00:00:00"}\n{"Product_Id":"J2","Product_Name":"Json two","Description":null,"Type":"DIGITAL","updatedAt":"2024-03-02 00:00:00"}\n');
    const json = await createFileFlow(api, { root, path: 'json/*.json', format: 'json', title: 'json' });
    const jsonRun = await runNow(api, json.flowId);
    expect(at(jsonRun, 'metrics.statusSummary'), JSON.stringify(jsonRun)).toMatchObject({ status: 'success' });
    expect((await lakeRows(api, json.dataSetId, '_id')).map((r) => r._id)).toEqual(['J1', 'J2']);

    fs.mkdirSync(path.join(root, 'parquet'));
    const parquetFile = path.join(root, 'parquet', 'p.parquet');
    const { DuckDbSession } = await import('../src/lake/duckdb-session.js');
    const duck = await DuckDbSession.open({ tempDirectory: root });
    await duck.run(`COPY (SELECT 'Q' || i AS Product_Id, 'Parquet ' || i AS Product_Name, NULL AS Description, 'PHYSICAL' AS Type, TIMESTAMP '2024-04-01' + INTERVAL (i) DAY AS updatedAt FROM range(5) t(i)) TO '${parquetFile}' (FORMAT parquet)`);
    duck.close();
    const parquet = await createFileFlow(api, { root, path: 'parquet/p.parquet', format: 'parquet', title: 'parquet' });
    expect(at(await runNow(api, parquet.flowId), 'metrics.recordSummary.outputRecordCount')).toBe(5);
    expect(await lakeRows(api, parquet.dataSetId, '_id')).toHaveLength(5);
  });

  it('fails a run whose rejected rows exceed the threshold, landing nothing; passes under it with diagnostics', async () => {
    fs.mkdirSync(path.join(root, 'dirty'));
    const rows = ['D1,One,,PHYSICAL,2024-05-01 00:00:00,1980', 'D2,Two,,PHYSICAL,2024-05-02 00:00:00,not a year', 'D3,Three,,PHYSICAL,2024-05-03 00:00:00,1990', 'D4,Four,,PHYSICAL,2024-05-04 00:00:00,2000'];
    fs.writeFileSync(path.join(root, 'dirty', 'p.csv'), `Product_Id,Product_Name,Description,Type,updatedAt,Year\n${rows.join('\n')}\n`);
    const extraMappings = [{ destinationXdmPath: 'person.birthYear', sourceAttribute: 'Year' }];

    const strict = await createFileFlow(api, { root, path: 'dirty/p.csv', format: 'delimited', title: 'strict', extraMappings });
    const failed = await runNow(api, strict.flowId);
    expect(failed).toMatchObject({ metrics: { recordSummary: { inputRecordCount: 4, failedRecordCount: 1 }, statusSummary: { status: 'failed' } } });
    expect(JSON.stringify(at(failed, 'metrics.statusSummary.errors'))).toContain('INGEST-1212-400');
    expect(await lakeRows(api, strict.dataSetId)).toEqual([]);

    const lenient = await createFileFlow(api, { root, path: 'dirty/p.csv', format: 'delimited', title: 'lenient', extraMappings, options: { partialIngestionPercent: 30, errorDiagnosticsEnabled: true } });
    const passed = await runNow(api, lenient.flowId);
    expect(passed).toMatchObject({ metrics: { recordSummary: { inputRecordCount: 4, outputRecordCount: 3, failedRecordCount: 1 }, statusSummary: { status: 'success' } } });
    const codes = (at(passed, 'metrics.statusSummary.errors') as { code: string }[]).map((e) => e.code);
    expect(codes).toEqual(['INGEST-1212-400', 'MAPPER-3700-400']);
    expect((await lakeRows(api, lenient.dataSetId, '_id, person.birthYear AS year')).map((r) => [r._id, r.year])).toEqual([['D1', 1980], ['D3', 1990], ['D4', 2000]]);
    const batchId = str(passed, 'activities.1.targetInfo.0.reference.ids.0');
    const errorFile = path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', lenient.dataSetId, batchId, '_meta', 'row_errors', 'conversion_errors_0.json');
    const rejected = fs.readFileSync(errorFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { _corrupt_record: string; _errors: { code: string }[] });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?._corrupt_record).toContain('not a year');
    expect(rejected[0]?._errors[0]?.code).toBe('MAPPER-3700-400');
  });

  it('sets unparsable CSV lines aside as rejected rows instead of failing the run', async () => {
    fs.mkdirSync(path.join(root, 'malformed'));
    fs.writeFileSync(path.join(root, 'malformed', 'p.csv'), `${header}M1,One,,PHYSICAL,2024-07-01 00:00:00\nM2,Two,,PHYSICAL,2024-07-02 00:00:00,surplus\nM3,Three,,PHYSICAL,2024-07-03 00:00:00\n`);
    const flow = await createFileFlow(api, { root, path: 'malformed/p.csv', format: 'delimited', title: 'malformed', options: { partialIngestionPercent: 50, errorDiagnosticsEnabled: true } });
    const run = await runNow(api, flow.flowId);
    expect(run).toMatchObject({ metrics: { recordSummary: { inputRecordCount: 3, outputRecordCount: 2, failedRecordCount: 1 }, statusSummary: { status: 'success' } } });
    expect((at(run, 'metrics.statusSummary.errors') as { code: string }[]).map((e) => e.code)).toContain('INGEST-1401-400');
    expect((await lakeRows(api, flow.dataSetId, '_id')).map((r) => r._id)).toEqual(['M1', 'M3']);
    const batchId = str(run, 'activities.1.targetInfo.0.reference.ids.0');
    const parsing = path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', flow.dataSetId, batchId, '_meta', 'row_errors', 'parsing_errors_0.json');
    expect(fs.readFileSync(parsing, 'utf8')).toContain('surplus');
  });

  it('says what a CSV the reader cannot lay out holds, and which data.properties read it', async () => {
    fs.mkdirSync(path.join(root, 'unsniffable'));
    // Mixed line endings: the sniffer gives up on the whole file.
    fs.writeFileSync(path.join(root, 'unsniffable', 'mixed.csv'), header.replace('\n', '\r\n') + 'U1,One,,PHYSICAL,2024-07-01 00:00:00\nU2,Two,,PHYSICAL,2024-07-02 00:00:00\r\nU3,Three,,PHYSICAL,2024-07-03 00:00:00\n');
    const mixed = await createFileFlow(api, { root, path: 'unsniffable/mixed.csv', format: 'delimited', title: 'mixed endings' });
    const run = await runNow(api, mixed.flowId);
    expect(at(run, 'metrics.statusSummary.status')).toBe('failed');
    const [error] = at(run, 'metrics.statusSummary.errors') as { code: string; message: string }[];
    expect(error?.code).toBe('CONNECTOR-1002-400');
    expect(error?.message).toContain('unsniffable/mixed.csv: it mixes line endings (2 lines end in \\r\\n, 2 lines end in \\n)');
    expect(error?.message).toContain('data.properties.columnDelimiter');
    // The server's own paths stay out of the message: the file is named as the connection knows it.
    expect(error?.message).not.toContain(root);
    expect(await lakeRows(api, mixed.dataSetId, '_id')).toEqual([]);
  });

  it('sets malformed JSON lines aside as rejected rows, with their file and line, and lands the rest', async () => {
    fs.mkdirSync(path.join(root, 'brokenjson'));
    const good = (id: string, day: number) => JSON.stringify({ Product_Id: id, Product_Name: `Name ${id}`, Description: null, Type: 'DIGITAL', updatedAt: `2024-05-0${day} 00:00:00` });
    fs.writeFileSync(path.join(root, 'brokenjson', 'a.json'), `${good('B1', 1)}\n{"Product_Id":"B2","Product_Name":\n\n${good('B3', 3)}\n`);
    fs.writeFileSync(path.join(root, 'brokenjson', 'b.json'), `${good('B4', 4)}\n\nnot json at all\n`);
    const strict = await createFileFlow(api, { root, path: 'brokenjson/*.json', format: 'json', title: 'broken-json-strict' });
    const failed = await runNow(api, strict.flowId);
    expect(at(failed, 'metrics.statusSummary.status')).toBe('failed');
    expect(at(failed, 'metrics.recordSummary')).toMatchObject({ inputRecordCount: 5, failedRecordCount: 2 });

    const flow = await createFileFlow(api, { root, path: 'brokenjson/*.json', format: 'json', title: 'broken-json', options: { partialIngestionPercent: 50, errorDiagnosticsEnabled: true } });
    const run = await runNow(api, flow.flowId);
    expect(run).toMatchObject({ metrics: { recordSummary: { inputRecordCount: 5, outputRecordCount: 3, failedRecordCount: 2 }, statusSummary: { status: 'success' } } });
    expect((await lakeRows(api, flow.dataSetId, '_id')).map((r) => r._id)).toEqual(['B1', 'B3', 'B4']);
    const batchId = str(run, 'activities.1.targetInfo.0.reference.ids.0');
    const parsing = path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', flow.dataSetId, batchId, '_meta', 'row_errors', 'parsing_errors_0.json');
    const rejected = fs.readFileSync(parsing, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { _corrupt_record: string; _errors: { message: string }[] });
    expect(rejected.map((r) => [r._corrupt_record, r._errors[0]?.message])).toEqual([
      ['{"Product_Id":"B2","Product_Name":', 'MalformedJson: the line is not a JSON value (a.json) at line 2'],
      ['not json at all', 'MalformedJson: the line is not a JSON value (b.json) at line 3'],
    ]);
  });

  it('runs only one-time flows on demand', async () => {
    const flow = await createFileFlow(api, { root, path: 'paypal/catalog_products.csv', format: 'delimited', title: 'hourly', scheduleParams: { startTime: 1567411548, frequency: 'hour', interval: 1 } });
    const response = await api.request('POST', '/data/foundation/flowservice/runs', { body: { flowId: flow.flowId } });
    expect(response.status).toBe(400);
    expect(str(response.json, 'detail')).toContain('once');
  });

  it('fails clearly when the source lacks a column the mapping reads, and nothing lands', async () => {
    fs.mkdirSync(path.join(root, 'narrow'));
    fs.writeFileSync(path.join(root, 'narrow', 'p.csv'), 'Product_Id,Product_Name,updatedAt\nN1,x,2024-01-01 00:00:00\n');
    const flow = await createFileFlow(api, { root, path: 'narrow/p.csv', format: 'delimited', title: 'narrow' });
    const run = await runNow(api, flow.flowId);
    expect(at(run, 'metrics.statusSummary.status')).toBe('failed');
    expect(JSON.stringify(at(run, 'metrics.statusSummary.errors'))).toMatch(/no column \\"Description\\"/);
    expect(await lakeRows(api, flow.dataSetId)).toEqual([]);
    const retry = await api.request('POST', `/data/foundation/flowservice/runs/${str(run, 'id')}/action?op=re-trigger`);
    expect(retry.status).toBe(201);
    await api.app.engine.idle();
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});
