/**
 * Every Adobe application field group of the standard library (Analytics, Campaign, Target, Journey Optimizer,
 * B2B, ...) can be used as AEP users use it: a schema built from the class it is meant for and the field group,
 * a dataset on that schema, a batch of one row that writes one of the field group's own fields, and a query that
 * reads that value back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../src/xdm/standard/json-value.js';
import { resolveFull } from '../src/xdm/resolve-full.js';
import { findStandard, standardEntries, standardEntry } from '../src/xdm/standard/standard-library.js';
import { availableBackends } from './support/backends.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const registry = '/data/foundation/schemaregistry';
const profile = 'https://ns.adobe.com/xdm/context/profile';
const timeSeries = 'https://ns.adobe.com/xdm/data/time-series';

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function intendedFor(fieldGroupId: string): string[] {
  const intended = findStandard(fieldGroupId)?.['meta:intendedToExtend'];
  return (Array.isArray(intended) ? intended : []).filter((id): id is string => typeof id === 'string');
}

/** The class a schema with this field group is built on: the first class it is meant for, else Profile. */
function classFor(fieldGroupId: string): string {
  return intendedFor(fieldGroupId).find((id) => standardEntry(id)?.['meta:resourceType'] === 'classes') ?? profile;
}

/** The Adobe applications' namespaces: `_experience` (Analytics, Campaign, Target, AJO, ...) and `_b2b`. */
const adobeEntries = standardEntries('mixins').filter((e) => /^_(experience|b2b)\./.test(e['meta:altId']));
/**
 * A few of them extend a data type rather than a class (the decisioning `selection-detail` is meant for the
 * `item-selection` data type): no schema can be built from them, and the registry says so.
 */
const forDataTypes = adobeEntries.filter((e) => intendedFor(e.$id).length > 0 && intendedFor(e.$id).every((id) => standardEntry(id)?.['meta:resourceType'] === 'datatypes'));
const adobeFieldGroups = adobeEntries.filter((e) => !forDataTypes.includes(e));

type Leaf = { path: string[]; value: JsonValue };

/** A value the field takes, or undefined for fields whose constraints a fixed sample could break. */
function sampleValue(field: JsonObject): JsonValue | undefined {
  if (field.pattern !== undefined || field.const !== undefined) return undefined;
  if (Array.isArray(field.enum)) return field.enum[0] ?? undefined;
  switch (field['meta:xdmType']) {
    case 'string':
      if (field.format === 'email') return 'someone@example.com';
      if (field.format === 'uri' || field.format === 'uri-reference' || field.format === 'url') return 'https://example.com/x';
      if (field.format !== undefined) return undefined;
      return typeof field.maxLength === 'number' && field.maxLength < 6 ? 'x' : 'sample';
    case 'date-time':
      return '2024-05-06T07:08:09Z';
    case 'date':
      return '2024-05-06';
    case 'boolean':
      return true;
    case 'int':
    case 'long':
    case 'short':
    case 'byte':
      return typeof field.minimum === 'number' ? field.minimum : 1;
    default:
      return undefined;
  }
}

/**
 * A scalar field of the field group, not inside a map, on a path of objects that require nothing in the schema as
 * a whole (the class may require a sibling, as the decisioning classes do). An array on the way is entered through
 * its first element (a path segment ending in `[]`).
 */
function findLeaf(node: JsonObject, inSchema: JsonObject, path: string[] = []): Leaf | undefined {
  if (!isObject(node.properties) || !isObject(inSchema.properties)) return undefined;
  if (path.length > 0 && Array.isArray(inSchema.required) && inSchema.required.length > 0) return undefined;
  for (const [name, field] of Object.entries(node.properties)) {
    const whole = inSchema.properties[name];
    if (!isObject(field) || !isObject(whole) || name === '_id') continue;
    const [shape, wholeShape, segment] = field['meta:xdmType'] === 'array' && isObject(field.items) && isObject(whole.items) ? [field.items, whole.items, `${name}[]`] : [field, whole, name];
    if (shape['meta:xdmType'] === 'object') {
      const inner = findLeaf(shape, wholeShape, [...path, segment]);
      if (inner) return inner;
    } else if (shape['meta:xdmType'] !== 'array' && shape['meta:xdmType'] !== 'map') {
      const value = sampleValue(shape);
      if (value !== undefined) return { path: [...path, segment], value };
    }
  }
  return undefined;
}

function rowWith(leaf: Leaf | undefined, classId: string, n: number): JsonObject {
  const row: JsonObject = { _id: `row-${n}` };
  const classDoc = findStandard(classId);
  if (JSON.stringify(classDoc?.['meta:extends'] ?? []).includes(timeSeries)) row.timestamp = '2024-05-06T07:08:09Z';
  if (!leaf) return row;
  // Built from the leaf outwards: each segment wraps what is inside it, `x[]` in a one-element list.
  let value: JsonValue = leaf.value;
  for (const segment of [...leaf.path].reverse()) {
    const name = segment.replace(/\[\]$/, '');
    const inner: JsonValue = segment.endsWith('[]') ? [value] : value;
    value = { [name]: inner };
  }
  return { ...row, ...(value as JsonObject) };
}

/** The SQL expression of a leaf: quoted names, the first element of each list. */
function columnOf(leaf: Leaf): string {
  return leaf.path.map((segment) => (segment.endsWith('[]') ? `"${segment.slice(0, -2)}"[1]` : `"${segment}"`)).join('.');
}

describe.each(backends)('Adobe application field groups on $name', (backend) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi(backend, { query: { perOrg: 4 } });
  });
  afterAll(async () => api?.close());

  it('finds the Adobe application field groups the Luma and CDP collections use', () => {
    expect(adobeFieldGroups.length).toBeGreaterThanOrEqual(120);
    const ids = adobeFieldGroups.map((e) => e.$id);
    for (const id of ['https://ns.adobe.com/experience/campaign/experienceevent-all', 'https://ns.adobe.com/experience/analytics-experienceevent', 'https://ns.adobe.com/experience/target-experienceevent', 'https://ns.adobe.com/b2b/marketo/marketo-web-url']) {
      expect(ids).toContain(id);
    }
  });

  it('refuses a schema with a field group meant only for a data type, naming both', async () => {
    expect(forDataTypes.map((e) => e.$id)).toEqual(['https://ns.adobe.com/experience/decisioning/selection-detail']);
    const schema = await api.request('POST', `${registry}/tenant/schemas`, { body: { title: 'selection', type: 'object', allOf: [{ $ref: profile }, { $ref: forDataTypes[0]?.$id }] } });
    expect(schema.status).toBe(400);
    expect(schema.text).toContain('https://ns.adobe.com/experience/decisioning/item-selection');
  });

  /** Schema, dataset, batch and query for one field group: a problem, or whether a field-group value was read back. */
  async function exercise(entry: (typeof adobeFieldGroups)[number], n: number): Promise<string | boolean> {
    const classId = classFor(entry.$id);
    const schema = await api.request('POST', `${registry}/tenant/schemas`, { body: { title: `AFG ${n} ${entry.title}`, type: 'object', allOf: [{ $ref: classId }, { $ref: entry.$id }] } });
    if (schema.status !== 201) return `${entry.$id}: schema ${schema.status} ${schema.text.slice(0, 300)}`;
    const dataSet = await api.request('POST', '/data/foundation/catalog/dataSets', { body: { name: `afg ${n}`, schemaRef: { id: str(schema.json, '$id'), contentType: 'application/vnd.adobe.xed+json;version=1' } } });
    const dataSetId = String(at(dataSet.json, '0')).split('/').pop() ?? '';
    const leaf = findLeaf(resolveFull(findStandard(entry.$id) ?? {}, findStandard), resolveFull({ allOf: [{ $ref: classId }, { $ref: entry.$id }] }, findStandard));
    const batch = await api.request('POST', '/data/foundation/import/batches', { body: { datasetId: dataSetId, inputFormat: { format: 'json' } } });
    const batchId = str(batch.json, 'id');
    const upload = await fetch(`${api.baseUrl}/data/foundation/import/batches/${batchId}/datasets/${dataSetId}/files/row.json`, {
      method: 'PUT',
      headers: { ...api.gatewayHeaders(), 'content-type': 'application/octet-stream' },
      body: JSON.stringify(rowWith(leaf, classId, n)),
    });
    await api.request('POST', `/data/foundation/import/batches/${batchId}?action=COMPLETE`);
    const landed = await api.request('GET', `/data/foundation/catalog/batches/${batchId}`);
    if (upload.status !== 200 || at(landed.json, `${batchId}.status`) !== 'success') return `${entry.$id}: batch ${upload.status} ${JSON.stringify(at(landed.json, `${batchId}.errors`)).slice(0, 300)}`;
    const table = str((await api.request('GET', `/data/foundation/catalog/dataSets/${dataSetId}`)).json, `${dataSetId}.tags.adobe/pqs/table.0`);
    const column = leaf ? columnOf(leaf) : '_id';
    const result = await api.request('POST', '/data/foundation/query/queries', { body: { dbName: 'prod:all', sql: `SELECT CAST(${column} AS VARCHAR) AS v FROM ${table}` } });
    const expected = leaf ? leaf.value : `row-${n}`;
    const got = at(result.json, 'rows.0.v');
    // Dates and times come back in DuckDB's text form; the day is enough to show the value is the one written.
    const same = got === String(expected) || (typeof expected === 'string' && /^\d{4}-\d\d-\d\d/.test(expected) && String(got).startsWith(expected.slice(0, 10)));
    if (result.status !== 202 || !same) return `${entry.$id}: query ${result.status} got ${JSON.stringify(got)} for ${JSON.stringify(expected)} ${result.text.slice(0, 200)}`;
    return leaf !== undefined;
  }

  it('takes a schema, a dataset, a batch and a query for each of them', { timeout: 600_000 }, async () => {
    const outcomes: (string | boolean)[] = [];
    // A few at a time, as several clients of one server would (the per-org query cap is raised to match).
    const queue = [...adobeFieldGroups.entries()];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) outcomes.push(await exercise(next[1], next[0]));
      }),
    );
    const problems = outcomes.filter((o): o is string => typeof o === 'string');
    const queried = outcomes.filter((o) => o === true).length;
    expect(problems).toEqual([]);
    // Nearly every field group has a plain field to write and read back; the rest still land a row.
    expect(queried).toBeGreaterThan(adobeFieldGroups.length * 0.9);
    expect(api.contractViolations).toEqual([]);
  });
});
