import { describe, expect, it } from 'vitest';
import { loadContracts, type ContractCheck, type Service } from './support/contract/contract-validator.js';
import { paymentsTutorialBodies as tutorial } from './support/contract/payments-tutorial-bodies.js';
import { specAllowList, specFixUps } from './support/contract/spec-allow-list.js';

// Loads ../shared/reference/aep-specs (relative to the repo root) at test time; nothing is copied into the repo.
const contracts = loadContracts();

function flowItem(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 'e0bd8463-0913-4ca1-bd84-6309134ca1f6',
    name: 'Dataflow between payments Platform',
    flowSpec: { id: '14518937-270c-4525-bdec-c2ba7cce3860', version: '1.0' },
    state: 'enabled',
    transformations: [{ name: 'Mapping', params: { mappingId: 'b54a8dc38e8d4e31a2dc096e413ae8e5', mappingVersion: '0' } }],
    scheduleParams: { startTime: 1567411548, frequency: 'minute', interval: '30' },
    ...overrides,
  };
}

describe('contract validator: known-good bodies pass', () => {
  it.each<[string, ContractCheck]>([
    ['POST /flows 201 {id, etag}', { service: 'flowservice', method: 'POST', path: '/flows', status: 201, body: tutorial.createFlow }],
    ['GET /flowSpecs {items}', { service: 'flowservice', method: 'GET', path: '/flowSpecs?property=name=="CRMToAEP"', status: 200, body: tutorial.flowSpecs }],
    ['POST /sourceConnections 201', { service: 'flowservice', method: 'POST', path: '/sourceConnections', status: 201, body: tutorial.createSourceConnection }],
    ['GET /flows/{id} {items:[flow]}', { service: 'flowservice', method: 'GET', path: `/flows/${tutorial.createFlow.id}`, status: 200, body: { items: [flowItem({})] } }],
    ['POST /tenant/schemas 201 (Swagger 2)', { service: 'schemaregistry', method: 'POST', path: '/tenant/schemas', status: 201, body: tutorial.createSchema }],
    ['POST /dataSets 201 ["@/dataSets/{id}"]', { service: 'catalog', method: 'POST', path: '/dataSets?requestDataSource=true', status: 201, body: tutorial.createDataset }],
  ])('%s', (_label, check) => {
    const result = contracts.check(check);
    expect(result.checked).toBe(true);
    expect(result.errors).toEqual([]);
  });

  it('drops allow-listed spec defects but reports them in `allowed`', () => {
    const result = contracts.check({ service: 'conversion', method: 'POST', path: '/mappingSets', status: 200, body: tutorial.createMapping });
    expect(result.errors).toEqual([]);
    expect(result.allowed).toHaveLength(2);
    expect(result.allowed[0]).toMatch(/^\/createdDate must be string, got integer .* -- allowed: Typed `string, date-time`/);
  });
});

describe('contract validator: wrong bodies fail with readable pointers', () => {
  it('wrong type and missing required field in a flow', () => {
    const body = { items: [flowItem({ transformations: [{ name: 42 }] })] };
    const result = contracts.check({ service: 'flowservice', method: 'GET', path: '/flows/abc', status: 200, body });
    expect(result.operation).toBe('GET /flows/{FLOW_ID}');
    expect(result.errors).toEqual([
      '/items/0/transformations/0/params is required but missing (spec: flow-service.yaml#/components/schemas/FlowTransformationDTO)',
      '/items/0/transformations/0/name must be string, got integer (spec: flow-service.yaml#/components/schemas/FlowTransformationDTO/properties/name)',
    ]);
  });

  it('a top-level type mismatch points at the root', () => {
    const result = contracts.check({ service: 'flowservice', method: 'POST', path: '/flows', status: 201, body: [tutorial.createFlow] });
    expect(result.errors).toEqual(['(root) must be object, got array (spec: flow-service.yaml#/components/schemas/CreateFlowResponse)']);
  });

  it('Swagger 2: the trimmed "$ref " property is validated as "$ref"', () => {
    const body = { ...tutorial.createSchema, allOf: [{ $ref: 42 }], 'meta:altId': false };
    const result = contracts.check({ service: 'schemaregistry', method: 'POST', path: '/tenant/schemas', status: 201, body });
    expect(result.errors.map((line) => line.split(' (spec:')[0])).toEqual([
      '/meta:altId must be string, got boolean',
      '/allOf/0/$ref must be string, got integer',
    ]);
  });

  it('runs are validated under the documented `activities` spelling', () => {
    const body = { items: [{ id: 'r1', flowId: 'f1', activities: [{ id: 7 }] }] };
    const result = contracts.check({ service: 'flowservice', method: 'GET', path: '/runs', status: 200, body });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^\/items\/0\/activities\/0\/id must be string, got integer/);
  });

  it('a non-JSON content type for a JSON response is an error', () => {
    const result = contracts.check({ service: 'flowservice', method: 'POST', path: '/flows', status: 201, contentType: 'text/plain', body: 'ok' });
    expect(result.errors).toEqual(["(content-type) is 'text/plain' but the spec declares a JSON body (application/json)"]);
  });

  it('allow-list entries only tolerate their keyword', () => {
    const body = { ...tutorial.createMapping, createdDate: 'yesterday' };
    const result = contracts.check({ service: 'conversion', method: 'POST', path: '/mappingSets', status: 200, body });
    expect(result.errors).toEqual([
      '/createdDate must match format "date-time", got "yesterday" (spec: data-prep.yaml#/components/schemas/SimpleRepresentation/properties/createdDate)',
    ]);
  });
});

describe('contract validator: path matching', () => {
  const encodedSchemaId = encodeURIComponent(tutorial.createSchema.$id);
  it.each<[Service, string, string, string]>([
    ['flowservice', 'GET', `/flows/${tutorial.createFlow.id}`, 'GET /flows/{FLOW_ID}'],
    ['flowservice', 'post', '/flows/search', 'POST /flows/search'],
    ['flowservice', 'PATCH', '/connections/24151d58-ffa7-4960-951d-58ffa7396097', 'PATCH /connections/{BASE_CONNECTION_ID}/'],
    ['flowservice', 'DELETE', '/connections/24151d58-ffa7-4960-951d-58ffa7396097/', 'DELETE /connections/{BASE_CONNECTION_ID}/'],
    ['flowservice', 'GET', '/connections/24151d58-ffa7-4960-951d-58ffa7396097/', 'GET /connections/{BASE_CONNECTION_ID}'],
    ['flowservice', 'GET', '/data/foundation/flowservice/flows?limit=5', 'GET /flows'],
    ['schemaregistry', 'GET', `/tenant/schemas/${encodedSchemaId}`, 'GET /{CONTAINER_ID}/schemas/{SCHEMA_ID}'],
    ['schemaregistry', 'GET', '/tenant/schemas/_tenant.schemas.abc', 'GET /{CONTAINER_ID}/schemas/{SCHEMA_ID}'],
    ['schemaregistry', 'GET', '/tenant/schemas', 'GET /{CONTAINER_ID}/schemas'],
    ['schemaregistry', 'POST', '/tenant/schemas', 'POST /tenant/schemas'],
    ['schemaregistry', 'PATCH', `/tenant/schemas/${encodedSchemaId}`, 'PATCH /tenant/schemas/{SCHEMA_ID}'],
    ['catalog', 'GET', '/dataSets/5e8918669cbbee18ad9771f3', 'GET /dataSets/{DATASET_ID}'],
    ['catalog', 'GET', '/dataSets/5e8918669cbbee18ad9771f3/credentials', 'GET /dataSets/{id}/credentials'],
    ['catalog', 'GET', '/', 'GET /'],
    ['conversion', 'POST', '/mappingSets/validate', 'POST /mappingSets/validate'],
    ['conversion', 'GET', '/mappingSets/b54a8dc38e8d4e31a2dc096e413ae8e5/mappings/m1', 'GET /mappingSets/{MAPPING_SET_ID}/mappings/{MAPPING_ID}'],
    ['import', 'PUT', '/batches/b1/datasets/d1/files/products.json', 'PUT /batches/{batchId}/datasets/{datasetId}/files/{filePath}'],
    ['import', 'POST', '/batches/b1?action=COMPLETE', 'POST /batches/{batchId}'],
  ])('%s %s %s -> %s', (service, method, path, operation) => {
    expect(contracts.check({ service, method, path, status: 200, body: {} }).operation).toBe(operation);
  });

  it('every spec operation matches its own template, and every JSON response schema compiles', () => {
    for (const spec of contracts.inventory()) {
      for (const operation of [...Object.keys(spec.checkable), ...spec.uncheckable]) {
        const [method = '', template = ''] = operation.split(' ');
        const path = template.replace(/\{[^}]+\}/g, 'x1');
        for (const status of spec.checkable[operation] ?? ['200']) {
          const probe = status === 'default' ? 599 : Number(status.replace(/x/gi, '0'));
          const result = contracts.check({ service: spec.service, method, path, status: probe, body: null });
          expect(result.operation, `${spec.service} ${operation}`).toBe(operation);
        }
      }
    }
  });
});

describe('contract validator: unknown or undocumented responses', () => {
  it('an unknown path, or a known path with an undeclared method, has operation null', () => {
    expect(contracts.check({ service: 'flowservice', method: 'GET', path: '/nope', status: 200, body: {} })).toEqual({
      operation: null,
      checked: false,
      errors: [],
      allowed: [],
      response: null,
    });
    expect(contracts.check({ service: 'flowservice', method: 'DELETE', path: '/flowSpecs/x', status: 204, body: null }).operation).toBeNull();
  });

  it('statuses without a declared body schema are not checked', () => {
    const deleted = contracts.check({ service: 'flowservice', method: 'DELETE', path: '/flows/x', status: 204, body: undefined });
    expect(deleted).toMatchObject({ operation: 'DELETE /flows/{FLOW_ID}', checked: false, response: '204', errors: [] });
    const fallback = contracts.check({ service: 'catalog', method: 'GET', path: '/dataSets/x', status: 502, body: {} });
    expect(fallback).toMatchObject({ checked: false, response: 'default', errors: [] });
    const undeclared = contracts.check({ service: 'flowservice', method: 'GET', path: '/flows/x', status: 404, body: {} });
    expect(undeclared).toMatchObject({ operation: 'GET /flows/{FLOW_ID}', checked: false, response: null });
  });
});

describe('contract validator: allow-list and inventory', () => {
  it('every allow-list entry names a real operation and gives a reason', () => {
    const operations = new Map(contracts.inventory().map((spec) => [spec.service, new Set([...Object.keys(spec.checkable), ...spec.uncheckable])]));
    for (const entry of specAllowList) {
      expect(entry.reason.length, entry.pointer).toBeGreaterThan(20);
      if (entry.operation !== '*') expect(operations.get(entry.service)?.has(entry.operation), entry.operation).toBe(true);
    }
  });

  it('every documented fix-up was applied to its spec', () => {
    const applied = Object.fromEntries(contracts.inventory().map((spec) => [spec.service, spec.fixUps]));
    for (const fixUp of specFixUps) expect(applied[fixUp.service]?.[fixUp.id], fixUp.id).toBeGreaterThan(0);
  });

  it('lists, per spec, the operations and how many have a JSON response body schema', () => {
    const inventory = contracts.inventory();
    console.info(
      [
        'service        operations  with JSON response schema  (uncheckable operations)',
        ...inventory.map((s) => `${s.service.padEnd(15)}${String(s.operations).padStart(10)}  ${String(s.withJsonResponseSchema).padStart(25)}  ${s.uncheckable.join(', ')}`),
      ].join('\n'),
    );
    expect(Object.fromEntries(inventory.map((s) => [s.service, [s.operations, s.withJsonResponseSchema]]))).toEqual({
      flowservice: [45, 40],
      schemaregistry: [44, 36],
      catalog: [20, 20],
      conversion: [11, 11],
      import: [7, 5],
    });
  });
});
