import { str, type TestApi } from '../test-api.js';
import * as tutorial from '../tutorial-requests.js';
import { StoreWatch } from './store-watch.js';

const flowservice = '/data/foundation/flowservice';
const registry = '/data/foundation/schemaregistry';
export const dataLakeSpec = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c';
export const profileClass = 'https://ns.adobe.com/xdm/context/profile';
/** The registry's lookups need a versioned XED Accept header. */
export const xedAccept = 'application/vnd.adobe.xed+json; version=1';

export type FixtureKey =
  | 'connection' | 'source' | 'fieldGroup' | 'schema' | 'dataSet' | 'target' | 'mapping' | 'flow'
  | 'spareFieldGroup' | 'spareSchema' | 'spareDataSet' | 'tenantClass' | 'dataType' | 'descriptor' | 'sandbox' | 'batch';

/**
 * Valid request bodies for every writable resource. The fuzzer mutates these, so they must pass every check
 * when sent unchanged: a mutation then fails deep in validation rather than at the first missing field.
 */
export function validBodies(api: TestApi, ids: Record<FixtureKey, string>) {
  const tenant = `_${api.tenantId}`;
  const tenantFields = { [tenant]: { type: 'object', properties: { fuzzNote: { type: 'string' } } } };
  return {
    connection: () => tutorial.paypalBaseConnection,
    source: () => tutorial.sourceConnection(ids.connection),
    target: () => tutorial.targetConnection(ids.schema, ids.dataSet, dataLakeSpec),
    flow: () => tutorial.flow(ids.source, ids.target, ids.mapping),
    mapping: () => tutorial.mappingSet(ids.schema, `${tenant}.`),
    /** The current Data Prep dialect, so both request dialects get fuzzed. */
    mappingCurrent: () => ({
      outputSchema: { schemaRef: { id: ids.schema, contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
      mappings: [
        { sourceType: 'ATTRIBUTE', source: 'Product_Id', destination: '_id' },
        { sourceType: 'EXPRESSION', source: 'lower(Product_Name)', destination: `${tenant}.product.name` },
        { sourceType: 'STATIC', source: 'book', destination: `${tenant}.product.type` },
      ],
    }),
    schema: (title: string, refs: string[] = []) => ({
      title,
      description: 'fuzz schema',
      type: 'object',
      allOf: [{ $ref: profileClass }, ...refs.map(($ref) => ({ $ref }))],
    }),
    fieldGroup: (title: string) => ({
      title,
      description: 'fuzz field group',
      type: 'object',
      'meta:intendedToExtend': [profileClass],
      definitions: { fuzz: { properties: tenantFields } },
      allOf: [{ $ref: '#/definitions/fuzz' }],
    }),
    tenantClass: (title: string) => ({
      title,
      description: 'fuzz class',
      type: 'object',
      definitions: { fuzz: { properties: tenantFields } },
      allOf: [{ $ref: 'https://ns.adobe.com/xdm/data/record' }, { $ref: '#/definitions/fuzz' }],
    }),
    dataType: (title: string) => ({ title, description: 'fuzz data type', type: 'object', properties: { code: { type: 'string' }, count: { type: 'integer' } } }),
    dataSet: (name: string, schemaId = ids.schema) => ({ ...tutorial.dataSet(schemaId), name, description: 'fuzz dataset', tags: { fuzz: ['yes'] } }),
    descriptor: () => ({
      '@type': 'xdm:descriptorIdentity',
      'xdm:sourceSchema': ids.schema,
      'xdm:sourceVersion': 1,
      'xdm:sourceProperty': '/personalEmail/address',
      'xdm:namespace': 'Email',
      'xdm:property': 'xdm:code',
      'xdm:isPrimary': false,
    }),
    sandbox: (name: string) => ({ name, title: `Fuzz sandbox ${name}`, type: 'development' }),
    /** A client's own Catalog batch (not one ingestion produced, whose fields are locked). */
    batch: () => ({ status: 'processing', relatedObjects: [{ type: 'dataSet', id: ids.spareDataSet }], recordCount: 1, tags: { fuzz: ['yes'] } }),
  };
}

/** One fixture resource: where it can be read, and how to make it again. */
interface Item {
  key: FixtureKey;
  readPath: (id: string) => string;
  accept?: string;
  create: () => Promise<string>;
}

/**
 * The resources of the payments tutorial plus spares (unused, so they can be replaced or deleted) and
 * a development sandbox. Requests that succeed may delete some of them; `repair` makes them again.
 */
export class Fixture {
  readonly ids = {} as Record<FixtureKey, string>;
  readonly titles = {} as Record<FixtureKey, string>;
  readonly bodies: ReturnType<typeof validBodies>;
  private counter = 0;
  private readonly items: Item[];
  readonly watch: StoreWatch;

  constructor(readonly api: TestApi) {
    this.watch = new StoreWatch(api.store.db, api.store.backend);
    this.bodies = validBodies(api, this.ids);
    const post = async (path: string, body: unknown, id: (json: unknown) => string): Promise<string> => {
      const response = await api.request('POST', path, { body });
      if (response.status >= 300) throw new Error(`fixture POST ${path} answered ${response.status}: ${response.text.slice(0, 500)}`);
      return id(response.json);
    };
    const flowItem = (key: FixtureKey, collection: string, body: () => unknown): Item => ({
      key,
      readPath: (id) => `${flowservice}/${collection}/${id}`,
      create: () => post(`${flowservice}/${collection}`, body(), (json) => str(json, 'id')),
    });
    const registryItem = (key: FixtureKey, type: string, body: (title: string) => unknown): Item => ({
      key,
      readPath: (id) => `${registry}/tenant/${type}/${encodeURIComponent(id)}`,
      accept: xedAccept,
      create: () => post(`${registry}/tenant/${type}`, body((this.titles[key] = this.unique(`Fuzz ${key}`))), (json) => str(json, '$id')),
    });
    const dataSetItem = (key: FixtureKey): Item => ({
      key,
      readPath: (id) => `/data/foundation/catalog/dataSets/${id}`,
      create: () => post('/data/foundation/catalog/dataSets', this.bodies.dataSet(this.unique(`Fuzz ${key}`)), (json) => str(json, '0').split('/').pop() ?? ''),
    });
    const b = this.bodies;
    // Dependency order: repair walks it, so a re-made resource only points at resources that exist.
    this.items = [
      flowItem('connection', 'connections', b.connection),
      flowItem('source', 'sourceConnections', b.source),
      // The tutorial's product field group: the mapping sets write its fields.
      registryItem('fieldGroup', 'fieldgroups', (title) => ({ ...tutorial.productFieldGroup(api.tenantId), title })),
      // The tutorial's schema (its personal-details field groups give the descriptor a field) plus the products.
      registryItem('schema', 'schemas', (title) => ({ ...tutorial.targetSchema, title, allOf: [...tutorial.targetSchema.allOf, { $ref: this.ids.fieldGroup }] })),
      dataSetItem('dataSet'),
      flowItem('target', 'targetConnections', b.target),
      { key: 'mapping', readPath: (id) => `/data/foundation/conversion/mappingSets/${id}`, create: () => post('/data/foundation/conversion/mappingSets', b.mapping(), (json) => str(json, 'id')) },
      flowItem('flow', 'flows', b.flow),
      registryItem('spareFieldGroup', 'fieldgroups', b.fieldGroup),
      registryItem('spareSchema', 'schemas', (title) => b.schema(title)),
      dataSetItem('spareDataSet'),
      { key: 'batch', readPath: (id) => `/data/foundation/catalog/batches/${id}`, create: () => post('/data/foundation/catalog/batches', b.batch(), (json) => str(json, '0').split('/').pop() ?? '') },
      registryItem('tenantClass', 'classes', b.tenantClass),
      registryItem('dataType', 'datatypes', b.dataType),
      { key: 'descriptor', readPath: (id) => `${registry}/tenant/descriptors/${id}`, create: () => post(`${registry}/tenant/descriptors`, b.descriptor(), (json) => str(json, '@id')) },
      {
        key: 'sandbox',
        readPath: (name) => `/data/foundation/sandbox-management/sandboxes/${name}`,
        create: async () => {
          const name = this.unique('fuzz-dev').toLowerCase().replace(/[^a-z0-9-]/g, '-');
          await post('/data/foundation/sandbox-management/sandboxes', b.sandbox(name), () => '');
          return name;
        },
      },
    ];
  }

  /** A fresh name: registry titles and sandbox names must be unique. */
  unique(prefix: string): string {
    this.counter += 1;
    return `${prefix} ${this.counter}`;
  }

  async build(): Promise<void> {
    for (const item of this.items) this.ids[item.key] = await item.create();
    const mappings = await this.api.request('GET', `/data/foundation/conversion/mappingSets/${this.ids.mapping}/mappings`);
    this.mappingRuleId = str(mappings.json, '0.id');
    await this.buildHostile();
  }

  /**
   * Resources that keep client JSON the server accepts as-is (source `data`, schema `meta:*` keys, dataset
   * `fileDescription`, descriptor extras), holding an object whose `toString` is not a function: code that
   * stringifies stored values to sort or filter them throws on it. Two of each, so sorting compares two.
   * The list queries aim at them through `hostilePaths`.
   */
  private async buildHostile(): Promise<void> {
    const hostile = { toString: 1, valueOf: 1 };
    const post = async (path: string, body: unknown) => {
      const response = await this.api.request('POST', path, { body });
      if (response.status >= 300) throw new Error(`hostile fixture POST ${path} answered ${response.status}: ${response.text.slice(0, 300)}`);
    };
    for (let i = 0; i < 2; i += 1) {
      await post(`${flowservice}/sourceConnections`, { ...this.bodies.source(), name: `hostile ${i}`, data: { format: 'tabular', fuzzField: hostile } });
      await post(`${registry}/tenant/schemas`, { ...this.bodies.schema(this.unique('Fuzz hostile schema')), 'meta:fuzzField': hostile });
      await post('/data/foundation/catalog/dataSets', { ...this.bodies.dataSet(this.unique('Fuzz hostile dataset')), fileDescription: { fuzzField: hostile } });
      await post(`${registry}/tenant/descriptors`, { ...this.bodies.descriptor(), fuzzField: hostile });
    }
  }

  mappingRuleId = '';

  /** Re-makes whatever a successful request deleted. Returns the keys it re-made. */
  async repair(): Promise<FixtureKey[]> {
    const remade: FixtureKey[] = [];
    for (const item of this.items) {
      const read = await this.api.request('GET', item.readPath(this.ids[item.key]), item.accept ? { headers: { accept: item.accept } } : {});
      if (read.status === 200) continue;
      if (read.status !== 404) throw new Error(`fixture check of ${item.key} answered ${read.status}: ${read.text.slice(0, 300)}`);
      this.ids[item.key] = await item.create();
      remade.push(item.key);
    }
    return remade;
  }

  /** The current etag of a Flow Service object, for If-Match: earlier cases may have changed it. */
  async flowEtag(collection: string, id: string): Promise<string> {
    const read = await this.api.request('GET', `${flowservice}/${collection}/${id}`);
    return read.status === 200 ? str(read.json, 'items.0.etag') : '"missing"';
  }
}
