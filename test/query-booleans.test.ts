import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { defaultSpecDir } from './support/contract/contract-validator.js';
import { isRecord } from './support/contract/json-record.js';
import { services } from './support/contract/service.js';
import { loadSpec, resolveLocalRef } from './support/contract/spec-loader.js';
import { checkSharedReference } from './support/shared-reference.js';
import { localFilesSpec } from './support/file-flow.js';
import { at, startApi, str, type ApiResponse, type TestApi } from './support/test-api.js';
import { createTutorialObjects, type TutorialIds } from './support/tutorial-fixture.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();
const flowservice = '/data/foundation/flowservice';
const catalog = '/data/foundation/catalog';
const conversion = '/data/foundation/conversion';

/** Every spelling a client may send, and what it means. */
const spellings: [string, boolean][] = [['true', true], ['True', true], ['TRUE', true], ['1', true], ['false', false], ['False', false], ['FALSE', false], ['0', false]];
const refused = ['yes', 'on', '2', 'tru', '', 'true '];

/** A 400 in the service's error shape whose problem names the query parameter. */
function expectRefusedParameter(response: ApiResponse, name: string): void {
  expect(response.status, response.text).toBe(400);
  expect(str(response.json, 'type')).toMatch(/^https:\/\/ns\.adobe\.com\/aep\/errors\/[A-Z]+-\d+-400$/);
  expect(str(response.json, 'detail')).toContain(name);
  expect(at(response.json, 'report.errors')).toEqual([{ in: 'query', path: `/${name}`, message: 'must be true or false (in any letter case), 1 or 0' }]);
}

describe.each(backends)('boolean query parameters on $name', (backend) => {
  let api: TestApi;
  let ids: TutorialIds;
  let root: string;

  beforeAll(async () => {
    api = await startApi(backend);
    ids = await createTutorialObjects(api);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-booleans-'));
    fs.writeFileSync(path.join(root, 'p.csv'), 'Product_Id,Product_Name\nP1,Pen\nP2,Paper\n');
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it.each(['connections', 'sourceConnections', 'targetConnections', 'flows', 'runs', 'connectionSpecs', 'flowSpecs'])('Flow Service GET /%s reads count in every spelling', async (collection) => {
    const all = await api.request('GET', `${flowservice}/${collection}`);
    const total = (at(all.json, 'items') as unknown[]).length;
    for (const [spelling, meaning] of spellings) {
      const response = await api.request('GET', `${flowservice}/${collection}?count=${spelling}`);
      expect(response.status, `count=${spelling}: ${response.text}`).toBe(200);
      if (meaning) expect(response.json, `count=${spelling}`).toEqual({ count: total });
      else expect((at(response.json, 'items') as unknown[]).length, `count=${spelling}`).toBe(total);
    }
    for (const value of refused) expectRefusedParameter(await api.request('GET', `${flowservice}/${collection}?count=${encodeURIComponent(value)}`), 'count');
  });

  it('a true count still refuses limit, whatever its spelling', async () => {
    const response = await api.request('GET', `${flowservice}/flows?count=True&limit=5`);
    expect(str(response.json, 'type')).toMatch(/FLOW-1401-400$/);
  });

  it('Catalog POST /dataSets reads requestDataSource in every spelling', async () => {
    for (const [spelling, meaning] of spellings) {
      const created = await api.request('POST', `${catalog}/dataSets?requestDataSource=${spelling}`, { body: { ...tutorial.dataSet(ids.schema), name: `data source ${spelling}` } });
      expect(created.status, created.text).toBe(201);
      const id = str(created.json, '0').split('/').pop() as string;
      const dataSet = await api.request('GET', `${catalog}/dataSets/${id}`);
      expect(typeof at(dataSet.json, `${id}.dataSourceId`), `requestDataSource=${spelling}`).toBe(meaning ? 'number' : 'undefined');
    }
    for (const value of refused) {
      expectRefusedParameter(await api.request('POST', `${catalog}/dataSets?requestDataSource=${encodeURIComponent(value)}`, { body: tutorial.dataSet(ids.schema) }), 'requestDataSource');
    }
  });

  it('Catalog GET /dataSets filters on enableErrorDiagnostics in every spelling', async () => {
    const create = async (name: string, enableErrorDiagnostics: boolean) => {
      const created = await api.request('POST', `${catalog}/dataSets`, { body: { ...tutorial.dataSet(ids.schema), name, enableErrorDiagnostics } });
      expect(created.status, created.text).toBe(201);
      return str(created.json, '0').split('/').pop() as string;
    };
    const withDiagnostics = await create('diagnostics on', true);
    const withoutDiagnostics = await create('diagnostics off', false);
    for (const [spelling, meaning] of spellings) {
      const response = await api.request('GET', `${catalog}/dataSets?enableErrorDiagnostics=${spelling}&limit=100`);
      expect(response.status, response.text).toBe(200);
      const listed = Object.keys(response.json as Record<string, unknown>);
      expect(listed, `enableErrorDiagnostics=${spelling}`).toContain(meaning ? withDiagnostics : withoutDiagnostics);
      expect(listed, `enableErrorDiagnostics=${spelling}`).not.toContain(meaning ? withoutDiagnostics : withDiagnostics);
    }
    for (const value of refused) expectRefusedParameter(await api.request('GET', `${catalog}/dataSets?enableErrorDiagnostics=${encodeURIComponent(value)}`), 'enableErrorDiagnostics');
  });

  it('Catalog GET /batches/{id} reads aggregate in every spelling', async () => {
    const created = await api.request('POST', '/data/foundation/import/batches', { body: { datasetId: ids.dataSet, inputFormat: { format: 'json' } } });
    expect(created.status, created.text).toBe(201);
    const batchId = str(created.json, 'id');
    const plain = await api.request('GET', `${catalog}/batches/${batchId}`);
    for (const [spelling] of spellings) {
      const response = await api.request('GET', `${catalog}/batches/${batchId}?aggregate=${spelling}`);
      expect(response.status, response.text).toBe(200);
      // A batch without sub-batches: the root level already is the aggregate.
      expect(response.json).toEqual(plain.json);
    }
    for (const value of refused) expectRefusedParameter(await api.request('GET', `${catalog}/batches/${batchId}?aggregate=${encodeURIComponent(value)}`), 'aggregate');
  });

  it('Data Prep GET /mappingSets and /mappingSets/{id} read expandSchema in every spelling', async () => {
    for (const [spelling, meaning] of spellings) {
      const one = await api.request('GET', `${conversion}/mappingSets/${ids.mapping}?expandSchema=${spelling}`);
      expect(one.status, one.text).toBe(200);
      expect(at(one.json, 'outputSchema.jsonSchema') !== undefined, `expandSchema=${spelling}`).toBe(meaning);
      if (meaning) expect(at(one.json, 'outputSchema.jsonSchema.$id')).toBe(ids.schema);
      const list = await api.request('GET', `${conversion}/mappingSets?expandSchema=${spelling}`);
      expect(list.status, list.text).toBe(200);
    }
    for (const value of refused) {
      expectRefusedParameter(await api.request('GET', `${conversion}/mappingSets/${ids.mapping}?expandSchema=${encodeURIComponent(value)}`), 'expandSchema');
      expectRefusedParameter(await api.request('GET', `${conversion}/mappingSets?expandSchema=${encodeURIComponent(value)}`), 'expandSchema');
    }
  });

  it('Flow Service explore reads preview in every spelling', async () => {
    const connection = await api.request('POST', `${flowservice}/connections`, {
      body: { name: 'files for preview', auth: { specName: 'Local Directory', params: { rootPath: root } }, connectionSpec: { id: localFilesSpec, version: '1.0' } },
    });
    expect(connection.status, connection.text).toBe(201);
    const explore = (preview: string) => api.request('GET', `${flowservice}/connections/${str(connection.json, 'id')}/explore?objectType=file&object=p.csv&preview=${encodeURIComponent(preview)}`);
    for (const [spelling, meaning] of spellings) {
      const response = await explore(spelling);
      expect(response.status, response.text).toBe(200);
      expect(at(response.json, 'data'), `preview=${spelling}`).toEqual(meaning ? [{ Product_Id: 'P1', Product_Name: 'Pen' }, { Product_Id: 'P2', Product_Name: 'Paper' }] : undefined);
    }
    for (const value of refused) expectRefusedParameter(await explore(value), 'preview');
  });

  it('answered in the shapes the official specs describe', () => {
    expect(api.contractViolations).toEqual([]);
  });
});

const marker = 'x-tributary-query-boolean';
const methods = ['get', 'post', 'put', 'patch', 'delete'];
/** `/data/foundation/catalog/batches/{BATCH_ID}` and `/data/foundation/catalog/batches/{id}` are one route. */
const route = (method: string, template: string) => `${method.toUpperCase()} ${template.replace(/\{[^}]+\}/g, '{}').replace(/\/+$/, '')}`;

describe('every boolean query parameter takes the same spellings', () => {
  let api: TestApi;
  /** `GET /data/foundation/flowservice/flows` → its query parameters, from the server's own OpenAPI document. */
  const ours = new Map<string, Record<string, unknown>[]>();

  beforeAll(async () => {
    const [backend] = backends;
    api = await startApi(backend!);
    const document = (await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as { paths: Record<string, Record<string, { parameters?: Record<string, unknown>[] }>> };
    for (const [template, item] of Object.entries(document.paths)) {
      for (const method of methods) {
        const operation = item[method];
        if (operation) ours.set(route(method, template), (operation.parameters ?? []).filter((p) => p.in === 'query'));
      }
    }
  });
  afterAll(async () => api?.close());

  it('declares each boolean query parameter of every route with the shared QueryBoolean schema', () => {
    const plain = [...ours].flatMap(([operation, parameters]) =>
      parameters.filter((p) => isRecord(p.schema) && p.schema.type === 'boolean' && p.schema[marker] !== true).map((p) => `${operation} ?${String(p.name)}`),
    );
    expect(plain).toEqual([]);
  });

  it.skipIf(!checkSharedReference())('takes, as QueryBoolean, every boolean query parameter Adobe\'s OpenAPI files give a route it implements', () => {
    const covered: string[] = [];
    const missing: string[] = [];
    for (const service of services) {
      const spec = loadSpec(defaultSpecDir, service);
      const paths = isRecord(spec.doc.paths) ? spec.doc.paths : {};
      for (const [template, item] of Object.entries(paths)) {
        if (!isRecord(item)) continue;
        const shared = Array.isArray(item.parameters) ? item.parameters : [];
        for (const method of methods) {
          const operation = item[method];
          if (!isRecord(operation)) continue;
          const parameters = [...shared, ...(Array.isArray(operation.parameters) ? operation.parameters : [])]
            .map((p) => (isRecord(p) && typeof p.$ref === 'string' ? resolveLocalRef(spec.doc, p.$ref) : p))
            .filter(isRecord);
          const booleans = parameters.filter((p) => p.in === 'query' && (isRecord(p.schema) ? p.schema.type : p.type) === 'boolean').map((p) => String(p.name));
          const implemented = ours.get(route(method, `${spec.basePath}${template}`));
          if (booleans.length === 0 || !implemented) continue;
          for (const name of booleans) {
            const declared = implemented.find((p) => p.name === name);
            (isRecord(declared?.schema) && declared.schema[marker] === true ? covered : missing).push(`${method.toUpperCase()} ${spec.basePath}${template} ?${name}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    expect(covered.sort()).toEqual([
      'GET /data/foundation/catalog/batches/{BATCH_ID} ?aggregate',
      'GET /data/foundation/catalog/dataSets ?enableErrorDiagnostics',
      'GET /data/foundation/conversion/mappingSets ?expandSchema',
      'GET /data/foundation/conversion/mappingSets/{MAPPING_SET_ID} ?expandSchema',
      'GET /data/foundation/flowservice/connections ?count',
      'GET /data/foundation/flowservice/flows ?count',
      'GET /data/foundation/flowservice/runs ?count',
      'GET /data/foundation/flowservice/sourceConnections ?count',
      'GET /data/foundation/flowservice/targetConnections ?count',
      'GET /data/foundation/import/batches/{batchId}/datasets/{datasetId}/preview ?header',
      'GET /data/foundation/import/batches/{batchId}/datasets/{datasetId}/preview ?isMultiLineJson',
    ]);
  });
});
