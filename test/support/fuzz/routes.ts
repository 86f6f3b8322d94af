import type { Rng } from './prng.js';
import { profileClass, xedAccept, type Fixture, type FixtureKey } from './fixture.js';

/** A valid request for a route, before mutation. Path params are given percent-encoded, as they are sent. */
export interface BaseRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  contentType?: string;
}

export interface FuzzRoute {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As Fastify prints it (`:id`), so the list can be checked against the running server. */
  path: string;
  /** The body is an RFC 6902 JSON Patch, so patch-specific mutations apply. */
  patch?: boolean;
  /** The Schema Registry reads Accept to pick the document form. */
  accept?: boolean;
  /** Query parameters the route reads: mutations aim at these first. */
  query?: readonly string[];
  /** Requests skip the AEP gateway (the IMS token endpoint). */
  noGateway?: boolean;
  /**
   * A request the service itself answers 400 is still recorded (Query Service keeps a query that failed, in state
   * FAILED, as AEP does, and the answer names it in `report.queryId`): the "no write on a rejected request"
   * check then applies to every other 4xx, the 400s that name no recorded query included.
   */
  records400?: boolean;
  base: (f: Fixture, rng: Rng) => BaseRequest | Promise<BaseRequest>;
}

const fs = '/data/foundation/flowservice';
const sr = '/data/foundation/schemaregistry';
const cat = '/data/foundation/catalog';
const cv = '/data/foundation/conversion';
const sb = '/data/foundation/sandbox-management';
const ex = '/data/foundation/export';
const qs = '/data/foundation/query';
const flowListQuery = ['limit', 'continuationToken', 'property', 'orderby', 'count'] as const;
const catalogListQuery = ['limit', 'start', 'orderBy', 'properties', 'property', 'createdAfter', 'createdBefore', 'name', 'status'] as const;
const id = (value: string) => ({ id: encodeURIComponent(value) });

function flowCollection(collection: string, key: FixtureKey, patchOps: (f: Fixture) => unknown[]): FuzzRoute[] {
  const path = `${fs}/${collection}`;
  return [
    { method: 'GET', path, query: flowListQuery, base: () => ({ query: {} }) },
    { method: 'GET', path: `${path}/:id`, base: (f) => ({ params: id(f.ids[key]) }) },
    { method: 'POST', path, base: (f) => ({ json: f.bodies[key as 'connection' | 'source' | 'target' | 'flow']() }) },
    {
      method: 'PATCH',
      path: `${path}/:id`,
      patch: true,
      query: ['if-match'],
      base: async (f) => ({ params: id(f.ids[key]), headers: { 'if-match': await f.flowEtag(collection, f.ids[key]) }, json: patchOps(f) }),
    },
    { method: 'DELETE', path: `${path}/:id`, base: (f) => ({ params: id(f.ids[key]) }) },
  ];
}

/** Registry resources a PUT or PATCH may rewrite: spares, so a successful rewrite cannot break the flow chain. */
function rewritable(f: Fixture, rng: Rng) {
  const [type, key] = rng.pick([['schemas', 'spareSchema'], ['fieldgroups', 'spareFieldGroup'], ['mixins', 'spareFieldGroup'], ['classes', 'tenantClass'], ['datatypes', 'dataType']] as const);
  const title = f.titles[key];
  const body = { schemas: () => f.bodies.schema(title), fieldgroups: () => f.bodies.fieldGroup(title), mixins: () => f.bodies.fieldGroup(title), classes: () => f.bodies.tenantClass(title), datatypes: () => f.bodies.dataType(title) }[type]();
  return { params: { type, id: encodeURIComponent(f.ids[key]) }, body };
}

const registryRoutes: FuzzRoute[] = [
  { method: 'GET', path: `${sr}/stats`, base: () => ({}) },
  { method: 'GET', path: `${sr}/rpc/export/:id`, base: (f, rng) => ({ params: id(rng.pick([f.ids.schema, f.ids.fieldGroup, f.ids.dataType, f.ids.tenantClass])) }) },
  // Its own export: every resource is there with the same content, so the valid request writes nothing.
  { method: 'POST', path: `${sr}/rpc/import`, base: async (f) => ({ json: (await f.api.request('GET', `${sr}/rpc/export/${encodeURIComponent(f.ids.spareSchema)}`)).json }) },
  { method: 'GET', path: `${sr}/rpc/sampledata/:id`, base: (f) => ({ params: id(f.ids.schema) }) },
  { method: 'GET', path: `${sr}/rpc/auditlog/:id`, base: (f, rng) => ({ params: id(rng.pick([f.ids.schema, f.ids.fieldGroup, f.ids.dataType])) }) },
  { method: 'POST', path: `${sr}/tenant/descriptors`, base: (f) => ({ json: f.bodies.descriptor() }) },
  { method: 'GET', path: `${sr}/tenant/descriptors/:id`, base: (f) => ({ params: id(f.ids.descriptor) }) },
  { method: 'PUT', path: `${sr}/tenant/descriptors/:id`, base: (f) => ({ params: id(f.ids.descriptor), json: f.bodies.descriptor() }) },
  { method: 'DELETE', path: `${sr}/tenant/descriptors/:id`, base: (f) => ({ params: id(f.ids.descriptor) }) },
  {
    method: 'POST',
    path: `${sr}/tenant/:type`,
    base: (f, rng) => {
      const type = rng.pick(['schemas', 'fieldgroups', 'mixins', 'classes', 'datatypes'] as const);
      const title = f.unique(`Fuzz new ${type}`);
      const body = { schemas: () => f.bodies.schema(title, [f.ids.fieldGroup]), fieldgroups: () => f.bodies.fieldGroup(title), mixins: () => f.bodies.fieldGroup(title), classes: () => f.bodies.tenantClass(title), datatypes: () => f.bodies.dataType(title) }[type]();
      return { params: { type }, json: body };
    },
  },
  { method: 'PUT', path: `${sr}/tenant/:type/:id`, base: (f, rng) => { const r = rewritable(f, rng); return { params: r.params, json: r.body }; } },
  {
    method: 'PATCH',
    path: `${sr}/tenant/:type/:id`,
    patch: true,
    base: (f, rng) => ({ params: rewritable(f, rng).params, json: [{ op: 'replace', path: '/description', value: `patched ${rng.int(0, 1e6)}` }], contentType: 'application/json-patch+json' }),
  },
  {
    method: 'DELETE',
    path: `${sr}/tenant/:type/:id`,
    base: (f, rng) => {
      const [type, key] = rng.pick([['schemas', 'schema'], ['schemas', 'spareSchema'], ['fieldgroups', 'fieldGroup'], ['mixins', 'spareFieldGroup'], ['classes', 'tenantClass'], ['datatypes', 'dataType']] as const);
      return { params: { type, id: encodeURIComponent(f.ids[key]) } };
    },
  },
  { method: 'GET', path: `${sr}/:container/descriptors`, accept: true, base: (_f, rng) => ({ params: { container: rng.pick(['tenant', 'global']) }, headers: { accept: 'application/vnd.adobe.xdm-id+json' } }) },
  {
    method: 'GET',
    path: `${sr}/:container/:type`,
    accept: true,
    query: ['start', 'limit', 'orderby', 'property'],
    base: (_f, rng) => ({ params: { container: rng.pick(['tenant', 'global']), type: rng.pick(['schemas', 'classes', 'fieldgroups', 'mixins', 'datatypes', 'behaviors']) }, headers: { accept: rng.pick(['application/vnd.adobe.xed-id+json', 'application/vnd.adobe.xed+json']) } }),
  },
  {
    method: 'GET',
    path: `${sr}/:container/:type/:id`,
    accept: true,
    base: (f, rng) => {
      const [container, type, target] = rng.pick([['tenant', 'schemas', f.ids.schema], ['tenant', 'fieldgroups', f.ids.fieldGroup], ['global', 'classes', profileClass], ['tenant', 'datatypes', f.ids.dataType]] as const);
      return { params: { container, type, id: encodeURIComponent(target) }, headers: { accept: rng.pick([xedAccept, 'application/vnd.adobe.xed-full+json; version=1', 'application/vnd.adobe.xed-full-notext-desc+json; version=1']) } };
    },
  },
];

const catalogRoutes: FuzzRoute[] = [
  { method: 'GET', path: `${cat}/dataSets`, query: catalogListQuery, base: () => ({}) },
  { method: 'POST', path: `${cat}/dataSets`, query: ['requestDataSource'], base: (f) => ({ query: { requestDataSource: 'true' }, json: f.bodies.dataSet(f.unique('Fuzz dataset')) }) },
  { method: 'GET', path: `${cat}/dataSets/:id`, query: ['properties'], base: (f, rng) => ({ params: id(f.ids[rng.pick(['dataSet', 'spareDataSet'] as const)]) }) },
  { method: 'PUT', path: `${cat}/dataSets/:id`, base: (f) => ({ params: id(f.ids.spareDataSet), json: f.bodies.dataSet('Fuzz spare dataset') }) },
  {
    method: 'PATCH',
    path: `${cat}/dataSets/:id`,
    patch: true,
    // Catalog PATCH takes a partial object or, as JSON Patch, an array: both forms get fuzzed.
    base: (f, rng) => rng.chance(0.5)
      ? { params: id(f.ids.spareDataSet), json: { description: 'patched', tags: { fuzz: ['patched'] } } }
      : { params: id(f.ids.spareDataSet), json: [{ op: 'replace', path: '/description', value: 'patched' }], contentType: 'application/json-patch+json' },
  },
  { method: 'DELETE', path: `${cat}/dataSets/:id`, base: (f, rng) => ({ params: id(f.ids[rng.pick(['dataSet', 'spareDataSet'] as const)]) }) },
  { method: 'GET', path: `${cat}/batches`, query: [...catalogListQuery, 'dataSet', 'startAfter', 'sort', 'tags'], base: () => ({}) },
  { method: 'GET', path: `${cat}/batches/:id`, query: ['properties'], base: (f, rng) => ({ params: id(rng.pick([f.ids.batch, '5f0c1e2d3c4b5a6978877665'])) }) },
  { method: 'GET', path: `${cat}/batches/uniques/:field`, query: catalogListQuery, base: (_f, rng) => ({ params: { field: rng.pick(['status', 'dataSet', 'createdClient']) } }) },
  { method: 'POST', path: `${cat}/batches`, base: (f) => ({ json: f.bodies.batch() }) },
  { method: 'POST', path: `${cat}/batches/:id`, base: (f) => ({ params: id(f.unique('fuzz-batch').replace(' ', '-')), json: f.bodies.batch() }) },
  { method: 'PUT', path: `${cat}/batches/:id`, query: ['if-match'], base: (f) => ({ params: id(f.ids.batch), json: f.bodies.batch() }) },
  {
    method: 'PATCH',
    path: `${cat}/batches/:id`,
    patch: true,
    base: (f, rng) => rng.chance(0.5)
      ? { params: id(f.ids.batch), json: { status: 'staged', tags: { fuzz: ['patched'] } } }
      : { params: id(f.ids.batch), json: [{ op: 'replace', path: '/status', value: 'staged' }], contentType: 'application/json-patch+json' },
  },
  { method: 'DELETE', path: `${cat}/batches/:id`, base: (f) => ({ params: id(f.ids.batch) }) },
  { method: 'GET', path: `${cat}/lastBatches`, query: [...catalogListQuery, 'dataSetId', 'lastBatchStatus'], base: () => ({}) },
  { method: 'GET', path: `${cat}/dataSets/:id/credentials`, query: ['batchId'], base: (f) => ({ params: id(f.ids.dataSet) }) },
  { method: 'PATCH', path: `${cat}/v2/dataSets/:id`, base: (f) => ({ params: id(f.ids.spareDataSet), json: { description: 'v2', extensions: { fuzz: { deep: { value: 1 } } } } }) },
  { method: 'GET', path: `${cat}/tags/:tagNamespace`, base: (_f, rng) => ({ params: { tagNamespace: rng.pick(['fuzz', encodeURIComponent('adobe/pqs/table'), 'none']) } }) },
  { method: 'GET', path: cat, query: ['properties'], base: () => ({}) },
  {
    method: 'POST',
    path: cat,
    // Batched requests: a create, then a lookup that reads the new id through a template.
    base: (f) => ({ json: [{ id: 'one', resource: '/dataSets', method: 'post', body: f.bodies.dataSet(f.unique('Fuzz batched')) }, { id: 'two', resource: '/dataSets/<<one.id>>?properties=name', method: 'GET' }] }),
  },
];

const mappingBody = (f: Fixture, rng: Rng) => (rng.chance(0.5) ? f.bodies.mapping() : f.bodies.mappingCurrent());
const batchFile = '/data/foundation/import/batches/:batchId/datasets/:datasetId/files/*';

const conversionRoutes: FuzzRoute[] = [
  { method: 'POST', path: `${cv}/mappingSets`, base: (f, rng) => ({ json: mappingBody(f, rng) }) },
  { method: 'POST', path: `${cv}/mappingSets/validate`, base: (f, rng) => ({ json: mappingBody(f, rng) }) },
  { method: 'POST', path: `${cv}/mappingSets/preview`, base: (f, rng) => ({ json: { data: [{ id: 'x', first_name: 'Ada', last_name: 'Lovelace' }], mappingSet: mappingBody(f, rng) } }) },
  { method: 'GET', path: `${cv}/mappingSets`, query: ['limit', 'start', 'name', 'orderBy', 'expandSchema'], base: () => ({}) },
  { method: 'GET', path: `${cv}/mappingSets/:id`, query: ['version', 'expandSchema'], base: (f) => ({ params: id(f.ids.mapping), query: { expandSchema: 'true' } }) },
  { method: 'PUT', path: `${cv}/mappingSets/:id`, base: (f, rng) => ({ params: id(f.ids.mapping), json: mappingBody(f, rng) }) },
  { method: 'GET', path: `${cv}/mappingSets/:id/mappings`, base: (f) => ({ params: id(f.ids.mapping) }) },
  { method: 'GET', path: `${cv}/mappingSets/:id/mappings/:mappingId`, base: (f) => ({ params: { ...id(f.ids.mapping), mappingId: f.mappingRuleId } }) },
  {
    method: 'POST',
    path: `${cv}/languages/el/validate`,
    base: (_f, rng) => ({ json: { expression: rng.pick(['concat(first, " ", last)', 'lower(name) == "x"', 'iif(a > 1, "big", "small")', 'upper(trim(a))', '(a + b) * 2']) } }),
  },
  { method: 'GET', path: `${cv}/languages/el/functions`, base: () => ({}) },
  { method: 'GET', path: `${cv}/languages/el/operators`, base: () => ({}) },
];

const sandboxRoutes: FuzzRoute[] = [
  { method: 'GET', path: `${sb}/`, base: () => ({}) },
  { method: 'GET', path: `${sb}/sandboxTypes`, base: () => ({}) },
  { method: 'GET', path: `${sb}/sandboxes`, base: () => ({}) },
  { method: 'POST', path: `${sb}/sandboxes`, base: (f) => ({ json: f.bodies.sandbox(f.unique('fz').replace(' ', '-')) }) },
  { method: 'GET', path: `${sb}/sandboxes/:name`, base: (f, rng) => ({ params: { name: rng.pick([f.ids.sandbox, 'prod']) } }) },
  { method: 'PATCH', path: `${sb}/sandboxes/:name`, base: (f) => ({ params: { name: f.ids.sandbox }, json: { title: 'Fuzz sandbox renamed' } }) },
  { method: 'DELETE', path: `${sb}/sandboxes/:name`, base: (f, rng) => ({ params: { name: rng.pick([f.ids.sandbox, 'prod']) } }) },
];

// The fixture lands no batch, so Data Access is fuzzed on its validation and not-found paths (ids and names that
// match nothing, diagnostics paths), which are where a client can reach the lake.
const unknownBatch = '0123456789abcdef0123456789abcdef';
const exportRoutes: FuzzRoute[] = [
  { method: 'GET', path: `${ex}/batches/:id/files`, query: ['start', 'limit'], base: () => ({ params: id(unknownBatch) }) },
  { method: 'GET', path: `${ex}/batches/:id/meta`, query: ['path', 'start', 'limit'], base: (_f, rng) => ({ params: id(unknownBatch), query: { path: rng.pick(['row_errors', 'input_files', 'row_errors/conversion_errors_0.json']) } }) },
  { method: 'GET', path: `${ex}/files/:id`, query: ['path', 'start', 'limit'], base: (_f, rng) => ({ params: id(`${unknownBatch}-1`), ...(rng.chance(0.5) ? { query: { path: 'data_0.parquet' } } : {}) }) },
];

// Queries that succeed store the query and its rows; rejected ones (refused statements, SQL errors) must store nothing.
const queryRoutes: FuzzRoute[] = [
  {
    method: 'POST',
    path: `${qs}/queries`,
    records400: true,
    base: (_f, rng) => ({ json: { dbName: 'prod:all', sql: rng.pick(['SELECT 1 AS one', 'SHOW TABLES', 'SELECT * FROM no_such_table', 'DROP VIEW x', "SELECT * FROM read_csv('/etc/passwd')", 'SELEC 1']) } }),
  },
  { method: 'GET', path: `${qs}/queries/:id`, base: () => ({ params: id('00000000-0000-0000-0000-000000000000') }) },
  { method: 'GET', path: `${qs}/queries/:id/results`, query: ['start', 'limit'], base: () => ({ params: id('00000000-0000-0000-0000-000000000000') }) },
  { method: 'PATCH', path: `${qs}/queries/:id`, base: (_f, rng) => ({ params: id('00000000-0000-0000-0000-000000000000'), json: { op: rng.pick(['cancel', 'soft_delete']) } }) },
  { method: 'DELETE', path: `${qs}/queries/:id`, base: () => ({ params: id('00000000-0000-0000-0000-000000000000') }) },
];

// Tributary's own webhooks API: the same gateway, error shape and "no write on a rejected request" rules. Ids that
// match nothing keep PATCH and DELETE from writing; a POST that passes creates a webhook, up to the sandbox's cap.
const wh = '/tributary/webhooks';
const noWebhook = '00000000-0000-0000-0000-000000000000';
const webhookRoutes: FuzzRoute[] = [
  {
    method: 'POST',
    path: wh,
    base: (_f, rng) => ({ json: { url: rng.pick(['https://hooks.example.com/tributary', 'http://127.0.0.1:9/hook?channel=7']), events: [rng.pick(['sources_flow_run_success', 'sources_flow_run_partial_success', 'sources_flow_run_failure'])], description: 'fuzzed' } }),
  },
  { method: 'GET', path: wh, base: () => ({}) },
  { method: 'GET', path: `${wh}/:id`, base: () => ({ params: id(noWebhook) }) },
  { method: 'PATCH', path: `${wh}/:id`, base: (_f, rng) => ({ params: id(noWebhook), json: rng.chance(0.5) ? { description: 'patched' } : { events: ['sources_flow_run_failure'] } }) },
  { method: 'DELETE', path: `${wh}/:id`, base: () => ({ params: id(noWebhook) }) },
  { method: 'GET', path: `${wh}/:id/deliveries`, query: ['limit', 'status', 'continuationToken'], base: () => ({ params: id(noWebhook), query: { limit: '5' } }) },
];

/** Every API route the server has (AEP's and Tributary's webhooks), by service. The route-coverage test fails when the server gains one. */
export const fuzzRoutes: Record<string, FuzzRoute[]> = {
  flowservice: [
    { method: 'GET', path: `${fs}/connectionSpecs`, query: flowListQuery, base: () => ({}) },
    { method: 'GET', path: `${fs}/connectionSpecs/:id`, base: () => ({ params: id('221c7626-58f6-4eec-8ee2-042b0226f03b') }) },
    { method: 'GET', path: `${fs}/flowSpecs`, query: flowListQuery, base: () => ({ query: { property: 'name=="CRMToAEP"' } }) },
    { method: 'GET', path: `${fs}/flowSpecs/:id`, base: () => ({ params: id('14518937-270c-4525-bdec-c2ba7cce3860') }) },
    ...flowCollection('connections', 'connection', () => [{ op: 'replace', path: '/name', value: 'renamed connection' }]),
    ...flowCollection('sourceConnections', 'source', () => [{ op: 'replace', path: '/params/tableName', value: 'PayPal.Catalog_Products' }]),
    ...flowCollection('targetConnections', 'target', () => [{ op: 'replace', path: '/description', value: 'patched' }]),
    ...flowCollection('flows', 'flow', () => [{ op: 'replace', path: '/scheduleParams/interval', value: 45 }, { op: 'replace', path: '/name', value: 'renamed flow' }]),
    { method: 'POST', path: `${fs}/flows/:id/action`, query: ['op', 'if-match'], base: (f, rng) => ({ params: id(f.ids.flow), query: { op: rng.pick(['enable', 'disable']) } }) },
    { method: 'GET', path: `${fs}/connections/:id/explore`, query: ['objectType', 'object', 'fileType', 'preview', 'sourceParams'], base: (f) => ({ params: id(f.ids.connection), query: { objectType: 'root' } }) },
    { method: 'GET', path: `${fs}/connections/:id/test`, base: (f) => ({ params: id(f.ids.connection) }) },
    { method: 'GET', path: `${fs}/runs`, query: flowListQuery, base: () => ({ query: { property: 'flowId==none' } }) },
    { method: 'GET', path: `${fs}/runs/:id`, base: () => ({ params: id('00000000-0000-0000-0000-000000000000') }) },
    // Runs that start would write in the background while later requests are checked for "no write";
    // the fuzz therefore aims at the validation of run requests, with ids that match nothing.
    { method: 'POST', path: `${fs}/runs`, base: () => ({ json: { flowId: 'no-such-flow', params: { windowStartTime: 1, windowEndTime: 2 } } }) },
    { method: 'POST', path: `${fs}/runs/:id/action`, query: ['op'], base: () => ({ params: id('no-such-run'), query: { op: 're-trigger' } }) },
  ],
  schemaregistry: registryRoutes,
  catalog: catalogRoutes,
  conversion: conversionRoutes,
  'sandbox-management': sandboxRoutes,
  export: exportRoutes,
  query: queryRoutes,
  webhooks: webhookRoutes,
  // Aimed at validation: batches that do not exist, so no upload or completion does real work mid-fuzz.
  import: [
    { method: 'POST', path: '/data/foundation/import/batches', base: () => ({ json: { datasetId: 'no-such-dataset', inputFormat: { format: 'json' } } }) },
    { method: 'PUT', path: `${batchFile}`, base: () => ({ params: { batchId: 'no-such-batch', datasetId: 'no-such-dataset', '*': 'a.json' }, contentType: 'application/octet-stream', json: {} }) },
    { method: 'POST', path: '/data/foundation/import/batches/:batchId', query: ['action'], base: () => ({ params: { batchId: 'no-such-batch' }, query: { action: 'COMPLETE' } }) },
    { method: 'POST', path: `${batchFile}`, query: ['action'], base: () => ({ params: { batchId: 'no-such-batch', datasetId: 'no-such-dataset', '*': 'a.json' }, query: { action: 'INITIALIZE' } }) },
    { method: 'PATCH', path: `${batchFile}`, base: () => ({ params: { batchId: 'no-such-batch', datasetId: 'no-such-dataset', '*': 'a.json' }, contentType: 'application/octet-stream', json: {} }) },
    { method: 'HEAD', path: `${batchFile}`, base: () => ({ params: { batchId: 'no-such-batch', datasetId: 'no-such-dataset', '*': 'a.json' } }) },
    {
      method: 'GET',
      path: '/data/foundation/import/batches/:batchId/datasets/:datasetId/preview',
      query: ['format', 'delimiter', 'quote', 'escape', 'charset', 'header', 'nrow', 'isMultiLineJson'],
      base: () => ({ params: { batchId: 'no-such-batch', datasetId: 'no-such-dataset' }, query: { format: 'json' } }),
    },
    // Streaming inlets: no gateway, and an inlet that does not exist, so that nothing is queued mid-fuzz.
    ...['/data/foundation/import/collection', '/collection'].flatMap((prefix): FuzzRoute[] => [
      { method: 'POST', path: `${prefix}/:inletId`, noGateway: true, query: ['syncValidation', 'synchronousValidation', 'x-adobe-flow-id'], base: (f) => ({ params: { inletId: 'f'.repeat(64) }, json: { header: { datasetId: f.ids.dataSet }, body: { xdmEntity: { _id: 'x' } } } }) },
      { method: 'POST', path: `${prefix}/batch/:inletId`, noGateway: true, query: ['synchronousValidation'], base: (f) => ({ params: { inletId: 'f'.repeat(64) }, json: { messages: [{ header: { datasetId: f.ids.dataSet }, body: { xdmEntity: { _id: 'x' } } }] } }) },
    ]),
  ],
  ims: [
    {
      method: 'POST',
      path: '/ims/token/v3',
      noGateway: true,
      query: ['grant_type', 'client_id', 'client_secret'],
      base: (f) => ({ form: { grant_type: 'client_credentials', client_id: f.api.credentials.client_id, client_secret: f.api.credentials.client_secret, scope: 'openid' } }),
    },
  ],
};

export const routeLabel = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;
