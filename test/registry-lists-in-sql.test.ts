import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFormat } from '../src/services/schemaregistry/accept-header.js';
import { RegistryDocumentsRepository } from '../src/services/schemaregistry/registry-documents.repository.js';
import type { RegistryListQuery } from '../src/services/schemaregistry/registry-listing.js';
import { fieldOrderList, titleList } from '../src/services/schemaregistry/tenant-lists.js';
import { titleSortKey } from '../src/store/registry-index.js';
import { ResourcesRepository } from '../src/store/resources.repository.js';
import { down as dropDocumentRows, up as addDocumentRows } from '../src/store/migrations/20261217T0100-registry-documents.js';
import type { JsonObject } from '../src/xdm/standard/json-value.js';
import { availableBackends } from './support/backends.js';
import { Rng } from './support/fuzz/prng.js';
import { RowCounter } from './support/row-counter.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';

const backends = await availableBackends();
const registry = '/data/foundation/schemaregistry';
const idOnly = 'application/vnd.adobe.xed-id+json';
const fullDesc = 'application/vnd.adobe.xed-full-desc+json; version=1';
const letters = ['a', 'A', 'b', 'B', 'é', 'É', 'ß', '1', ' ', '-', 'ö', 'Ö'];
const datatypeCount = 40;

/**
 * The Schema Registry's tenant lists by title (the default) page through its index rows and read the bodies of
 * the page alone; a lookup reads the resource and the tenant components it builds on, not the sandbox's every one.
 */
describe.each(backends)('Schema Registry lists and lookups from the index on $name', (backend) => {
  const counter = new RowCounter();
  let api: TestApi;
  let schemaAltId: string;
  const titles: string[] = [];

  beforeAll(async () => {
    api = await startApi(backend, { storePlugins: [counter] });
    const rng = new Rng(20261207);
    while (titles.length < datatypeCount) {
      // Titles that differ only by case or accent fold to one sort key: runs of ties a page may not split.
      const title = `${Array.from({ length: rng.int(0, 3) }, () => rng.pick(letters)).join('')}${rng.pick(['x', 'X', 'é'])}`;
      if (titles.includes(title)) continue;
      titles.push(title);
      const created = await api.request('POST', `${registry}/tenant/datatypes`, { body: { title, type: 'object', properties: { [`f${titles.length}`]: { type: 'string' } } } });
      expect(created.status, created.text).toBe(201);
    }
    // A schema built on a tenant field group that uses a tenant data type, with a descriptor.
    const address = await api.request('POST', `${registry}/tenant/datatypes`, { body: { title: 'zz shipping address', type: 'object', properties: { city: { type: 'string' } } } });
    const group = tutorial.productFieldGroup(api.tenantId);
    const tenantFields = group.definitions.product.properties[`_${api.tenantId}`] as { properties: Record<string, unknown> };
    tenantFields.properties.shipTo = { $ref: str(address.json, '$id') };
    const fieldGroup = await api.request('POST', `${registry}/tenant/fieldgroups`, { body: group });
    expect(fieldGroup.status, fieldGroup.text).toBe(201);
    const schema = await api.request('POST', `${registry}/tenant/schemas`, { body: { ...tutorial.targetSchema, allOf: [...tutorial.targetSchema.allOf, { $ref: str(fieldGroup.json, '$id') }] } });
    expect(schema.status, schema.text).toBe(201);
    schemaAltId = str(schema.json, 'meta:altId');
    const descriptor = await api.request('POST', `${registry}/tenant/descriptors`, {
      body: { '@type': 'xdm:descriptorIdentity', 'xdm:sourceSchema': str(schema.json, '$id'), 'xdm:sourceVersion': 1, 'xdm:sourceProperty': '/personalEmail/address', 'xdm:namespace': 'Email', 'xdm:property': 'xdm:code', 'xdm:isPrimary': true },
    });
    expect(descriptor.status, descriptor.text).toBe(201);
  });
  afterAll(async () => api?.close());

  const get = async (path: string, accept: string) => {
    counter.reset();
    const response = await api.request('GET', `${registry}${path}`, { headers: { accept } });
    expect(response.status, response.text).toBe(200);
    return { json: response.json, bodiesRead: counter.read('resources') };
  };

  /** Follows `_page.next` until it is null; fails instead of looping. */
  async function pageThrough(orderby: string, limit: number, property?: string): Promise<{ items: JsonObject[]; mostBodiesRead: number }> {
    const items: JsonObject[] = [];
    let mostBodiesRead = 0;
    let start: string | null = null;
    for (let pages = 0; pages <= datatypeCount + 1; pages += 1) {
      const query = new URLSearchParams({ orderby, limit: String(limit), ...(start !== null ? { start } : {}), ...(property ? { property } : {}) });
      const page = await get(`/tenant/datatypes?${query.toString()}`, idOnly);
      items.push(...(at(page.json, 'results') as JsonObject[]));
      mostBodiesRead = Math.max(mostBodiesRead, page.bodiesRead);
      start = at(page.json, '_page.next') as string | null;
      if (start === null) return { items, mostBodiesRead };
    }
    throw new Error(`still paging by ${orderby} after ${datatypeCount + 1} pages`);
  }

  /** One page read by `titleList` itself, with stretches of `stretchSize` candidates. */
  async function directPage(query: RegistryListQuery & { orderby: string }, stretchSize: number): Promise<object> {
    const db = api.store.db;
    const scope = await db.selectFrom('registry_documents').select(['org_id as orgId', 'sandbox_id as sandboxId']).where('kind', '=', 'xdm.datatypes').executeTakeFirstOrThrow();
    const deps = { resources: new ResourcesRepository(db), index: new RegistryDocumentsRepository(db), stretchSize };
    return titleList(deps, scope, 'xdm.datatypes', { query, order: { descending: query.orderby.startsWith('-') }, format: listFormat(idOnly), selfPath: '/x' });
  }

  /** Every page read by `titleList` itself, following `_page.next`. */
  async function pageDirectly(orderby: string, limit: number, property: string, stretchSize: number): Promise<JsonObject[]> {
    const items: JsonObject[] = [];
    let start: string | undefined;
    for (let pages = 0; pages <= datatypeCount + 1; pages += 1) {
      const page = await directPage({ orderby, limit, property, ...(start !== undefined ? { start } : {}) }, stretchSize);
      items.push(...(at(page, 'results') as JsonObject[]));
      const next = at(page, '_page.next') as string | null;
      if (next === null) return items;
      start = next;
    }
    throw new Error(`still paging by ${orderby} after ${datatypeCount + 1} pages`);
  }

  it.each([
    ['title', 1],
    ['-title', -1],
  ] as const)('pages by %s through every data type once, in title-key order, reading a page of bodies at a time', async (orderby, sign) => {
    const { items, mostBodiesRead } = await pageThrough(orderby, 4);
    const listed = items.map((item) => String(item.title));
    expect([...listed].sort()).toEqual([...titles, 'zz shipping address'].sort());
    const keys = listed.map(titleSortKey);
    keys.slice(1).forEach((key, i) => expect(sign * (key < (keys[i] as string) ? -1 : key > (keys[i] as string) ? 1 : 0), `${listed[i]} then ${listed[i + 1]}`).toBeGreaterThanOrEqual(0));
    // A page of 4, the rest of a run of equal keys, and the first item of the next page: never all 41.
    expect(mostBodiesRead).toBeGreaterThan(0);
    expect(mostBodiesRead).toBeLessThanOrEqual(10);
    // The same order as a list by fields the index does not hold (a second sort field), tie runs aside.
    const inMemory = await get(`/tenant/datatypes?orderby=${orderby},version`, idOnly);
    expect((at(inMemory.json, 'results') as JsonObject[]).map((item) => titleSortKey(String(item.title)))).toEqual(keys);
    expect(inMemory.bodiesRead).toBeGreaterThan(datatypeCount);
  });

  it.each(['title', '-title'])('pages a filtered list by %s through its matches once, in the order the in-memory list keeps', async (orderby) => {
    const property = 'title~[aAéÉ]';
    const matching = [...titles, 'zz shipping address'].filter((title) => /[aAéÉ]/.test(title));
    expect(matching.length).toBeGreaterThan(8);
    const { items } = await pageThrough(orderby, 3, property);
    expect(items.map((item) => String(item.title)).sort()).toEqual([...matching].sort());
    const inMemory = await get(`/tenant/datatypes?orderby=${orderby},version&property=${encodeURIComponent(property)}`, idOnly);
    const keys = (list: JsonObject[]) => list.map((item) => titleSortKey(String(item.title)));
    expect(keys(items)).toEqual(keys(at(inMemory.json, 'results') as JsonObject[]));
    // Read in stretches smaller than a page, then than the ties of a page: the same matches, each once.
    for (const stretchSize of [1, 2, 5]) {
      const direct = await pageDirectly(orderby, 3, property, stretchSize);
      expect(direct.map((item) => item.$id), `stretches of ${stretchSize}`).toEqual(items.map((item) => item.$id));
    }
    // The first page stops reading once it has its matches and the next page's first: not every candidate.
    counter.reset();
    await directPage({ orderby, limit: 3, property }, 5);
    expect(counter.read('resources')).toBeLessThan(datatypeCount);
  });

  it.each(['-meta:altId', 'version,title'])('pages by %s, a field the index does not hold, reading the data types alone a stretch at a time', async (orderby) => {
    const { items, mostBodiesRead } = await pageThrough(orderby, 4);
    expect(items.map((item) => String(item.title)).sort()).toEqual([...titles, 'zz shipping address'].sort());
    // Every data type is read to find a page, and nothing else: not the field group, schema or descriptor.
    expect(mostBodiesRead).toBe(datatypeCount + 1);
    const db = api.store.db;
    const scope = await db.selectFrom('registry_documents').select(['org_id as orgId', 'sandbox_id as sandboxId']).where('kind', '=', 'xdm.datatypes').executeTakeFirstOrThrow();
    for (const stretchSize of [1, 3, 500]) {
      const deps = { resources: new ResourcesRepository(db), index: new RegistryDocumentsRepository(db), stretchSize };
      const direct: JsonObject[] = [];
      let start: string | undefined;
      for (let pages = 0; pages <= datatypeCount + 1; pages += 1) {
        const page = await fieldOrderList(deps, scope, 'xdm.datatypes', { query: { orderby, limit: 4, ...(start !== undefined ? { start } : {}) }, format: listFormat(idOnly), selfPath: '/x' });
        direct.push(...(at(page, 'results') as JsonObject[]));
        const next = at(page, '_page.next') as string | null;
        if (next === null) break;
        start = next;
      }
      expect(direct.map((item) => item.$id), `stretches of ${stretchSize}`).toEqual(items.map((item) => item.$id));
    }
  });

  it('looks a schema up resolved with its descriptors, reading only it, what it builds on and its descriptor', async () => {
    const found = await get(`/tenant/schemas/${schemaAltId}`, fullDesc);
    expect(at(found.json, `properties._${api.tenantId}.properties.shipTo.properties.city.type`)).toBe('string');
    expect(at(found.json, 'meta:descriptors')).toHaveLength(1);
    // The schema, its field group, the data type, the descriptor.
    expect(found.bodiesRead).toBe(4);
    const listed = await get('/tenant/schemas', fullDesc.replace('; version=1', ''));
    expect(at(listed.json, 'results.0')).toEqual(found.json);
    expect(listed.bodiesRead).toBe(4);
    const viaMemory = await get('/tenant/schemas?orderby=title,version', fullDesc.replace('; version=1', ''));
    expect(viaMemory.json).toMatchObject({ results: [found.json] });
  });

  it('creates a schema reading what its body names and what that builds on, and still refuses a title taken', async () => {
    const group = await get('/tenant/fieldgroups', idOnly);
    const groupId = str(group.json, 'results.0.$id');
    counter.reset();
    const created = await api.request('POST', `${registry}/tenant/schemas`, { body: { ...tutorial.targetSchema, title: 'A second schema', allOf: [...tutorial.targetSchema.allOf, { $ref: groupId }] } });
    expect(created.status, created.text).toBe(201);
    // The field group and its data type; nothing of the 40 other data types.
    expect(counter.read('resources')).toBeLessThanOrEqual(3);
    expect(at(created.json, 'meta:extends')).toContain(groupId);
    const again = await api.request('POST', `${registry}/tenant/schemas`, { body: { ...tutorial.targetSchema, title: 'A second schema' } });
    expect(again.status).toBe(409);
    expect(str(again.json, 'detail')).toContain(str(created.json, '$id'));
    // Titles that fold alike are not the same title.
    const alike = await api.request('POST', `${registry}/tenant/schemas`, { body: { ...tutorial.targetSchema, title: 'a SECOND schéma' } });
    expect(alike.status, alike.text).toBe(201);
    const unknown = await api.request('POST', `${registry}/tenant/schemas`, { body: { ...tutorial.targetSchema, title: 'Unknown group', allOf: [...tutorial.targetSchema.allOf, { $ref: '_nobody.mixins.none' }] } });
    expect(unknown.status).toBe(400);
    for (const made of [created, alike]) expect((await api.request('DELETE', `${registry}/tenant/schemas/${encodeURIComponent(str(made.json, '$id'))}`)).status).toBe(204);
  });

  it('lists and looks up unions reading the Profile schemas and what they build on, not the whole registry', async () => {
    const enabled = await api.request('PATCH', `${registry}/tenant/schemas/${schemaAltId}`, { body: [{ op: 'add', path: '/meta:immutableTags', value: ['union'] }] });
    expect(enabled.status, enabled.text).toBe(200);
    const unions = await get('/tenant/unions', idOnly);
    expect(at(unions.json, 'results')).toHaveLength(1);
    // The member schema, its field group and that group's data type.
    expect(unions.bodiesRead).toBe(3);
    const unionId = str(unions.json, 'results.0.$id');
    const union = await get(`/tenant/unions/${encodeURIComponent(unionId)}`, 'application/vnd.adobe.xed-full+json; version=1');
    expect(at(union.json, `properties._${api.tenantId}.properties.shipTo.properties.city.type`)).toBe('string');
    expect(union.bodiesRead).toBe(3);
    // Exporting or sampling the schema reads it and what it builds on, as a lookup does.
    const exported = await get(`/rpc/export/${schemaAltId}`, 'application/json');
    expect((exported.json as JsonObject[]).map((doc) => doc['meta:resourceType'])).toEqual(['datatypes', 'mixins', 'schemas']);
    expect(exported.bodiesRead).toBe(3);
    expect((await get(`/rpc/sampledata/${schemaAltId}`, 'application/json')).bodiesRead).toBe(3);
    // The union is found through /schemas too, as AEP documents.
    expect((await get(`/tenant/schemas/${encodeURIComponent(unionId)}`, 'application/vnd.adobe.xed+json; version=1')).json).toMatchObject({ $id: unionId, 'meta:resourceType': 'unions' });
  });

  it("lists a schema's descriptors from their index rows, and applies every property filter", async () => {
    const schema = str((await get(`/tenant/schemas/${schemaAltId}`, 'application/vnd.adobe.xed+json; version=1')).json, '$id');
    const list = (property: string) => get(`/tenant/descriptors?property=${encodeURIComponent(property)}`, 'application/vnd.adobe.xdm-id+json');
    const ofSchema = await list(`xdm:sourceSchema==${schema}`);
    expect(Object.keys(ofSchema.json as object)).toEqual(['xdm:descriptorIdentity']);
    expect(ofSchema.bodiesRead).toBe(1);
    expect((await list('xdm:sourceSchema==https://ns.adobe.com/nobody/schemas/none')).json).toEqual({});
    expect(Object.keys((await list('@type==xdm:descriptorIdentity')).json as object)).toEqual(['xdm:descriptorIdentity']);
    expect((await list('@type==xdm:descriptorOneToOne')).json).toEqual({});
    const refused = await api.request('GET', `${registry}/tenant/descriptors?property=${encodeURIComponent('@type~(a+)+')}`);
    expect(refused.status).toBe(400);

    // A second primary identity is refused: the check read the schema, what it builds on and its descriptor.
    counter.reset();
    const second = await api.request('POST', `${registry}/tenant/descriptors`, {
      body: { '@type': 'xdm:descriptorIdentity', 'xdm:sourceSchema': schemaAltId, 'xdm:sourceVersion': 1, 'xdm:sourceProperty': '/personalEmail/address', 'xdm:namespace': 'Email', 'xdm:property': 'xdm:code', 'xdm:isPrimary': true },
    });
    expect(second.status, second.text).toBe(400);
    expect(str(second.json, 'detail')).toMatch(/already has a primary identity/);
    expect(counter.read('resources')).toBe(4);
  });

  it('counts and summarises the sandbox in /stats without holding the datatypes', async () => {
    counter.reset();
    const stats = await api.request('GET', `${registry}/stats`);
    expect(stats.status, stats.text).toBe(200);
    expect(stats.json).toMatchObject({ tenantId: api.tenantId, counts: { schemas: 1, mixins: 1, datatypes: datatypeCount + 1, classes: 0, unions: 1 } });
    // Created last: the schema (after its field group and the data types).
    expect(at(stats.json, 'recentlyCreatedResources.0.meta:altId')).toBe(schemaAltId);
    expect(at(stats.json, 'recentlyCreatedResources')).toHaveLength(5);
    expect(Object.values(at(stats.json, 'classUsage') as Record<string, unknown[]>).flat()).toHaveLength(1);
    // Five latest of each kind, twice, the schemas and the union's three: not the 41 data types.
    expect(counter.read('resources')).toBeLessThan(datatypeCount);
  });

  it('refuses to delete a component in use, naming its users from the reference rows', async () => {
    const group = await get('/tenant/fieldgroups', idOnly);
    const groupId = str(group.json, 'results.0.$id');
    const datatypes = at((await get('/tenant/datatypes?limit=50', idOnly)).json, 'results') as JsonObject[];
    const addressId = String(datatypes.find((d) => d.title === 'zz shipping address')?.$id);
    counter.reset();
    const inUse = await api.request('DELETE', `${registry}/tenant/datatypes/${encodeURIComponent(addressId)}`);
    expect(inUse.status).toBe(400);
    expect(str(inUse.json, 'detail')).toContain(`still used by ${groupId}`);
    // The data type itself, and no other body.
    expect(counter.read('resources')).toBe(1);
    const schemaId = str((await get(`/tenant/schemas/${schemaAltId}`, 'application/vnd.adobe.xed+json; version=1')).json, '$id');
    expect(str((await api.request('DELETE', `${registry}/tenant/fieldgroups/${encodeURIComponent(groupId)}`)).json, 'detail')).toContain(`still used by ${schemaId}`);

    // An update of the data type gathers what builds on it (the field group, the schema): once a dataset uses the
    // schema, removing the data type's field is refused for it.
    const dataSet = await api.request('POST', '/data/foundation/catalog/dataSets', { body: tutorial.dataSet(schemaId) });
    expect(dataSet.status, dataSet.text).toBe(201);
    const breaking = await api.request('PATCH', `${registry}/tenant/datatypes/${encodeURIComponent(addressId)}`, { body: [{ op: 'remove', path: '/properties/city' }] });
    expect(breaking.status, breaking.text).toBe(400);
    expect(str(breaking.json, 'detail')).toContain(`Schema ${schemaId} is used by`);
    const additive = await api.request('PATCH', `${registry}/tenant/datatypes/${encodeURIComponent(addressId)}`, { body: [{ op: 'add', path: '/properties/zip', value: { type: 'string' } }] });
    expect(additive.status, additive.text).toBe(200);
  });

  it('follows renames and deletions, and finds nothing for an id another kind holds', async () => {
    const created = await api.request('POST', `${registry}/tenant/datatypes`, { body: { title: 'AAA first', type: 'object', properties: { g: { type: 'string' } } } });
    const id = str(created.json, '$id');
    const highest = [...titles, 'zz shipping address'].reduce((a, b) => (titleSortKey(b) > titleSortKey(a) ? b : a));
    expect(at((await get('/tenant/datatypes?orderby=-title&limit=1', idOnly)).json, 'results.0.title')).toBe(highest);
    counter.reset();
    const renamed = await api.request('PATCH', `${registry}/tenant/datatypes/${encodeURIComponent(id)}`, { body: [{ op: 'replace', path: '/title', value: 'ßßß last' }] });
    expect(renamed.status, renamed.text).toBe(200);
    // The data type (found, then gathered for the checks): nothing builds on it, and nothing else is read.
    expect(counter.read('resources')).toBeLessThanOrEqual(3);
    expect(at((await get('/tenant/datatypes?orderby=-title&limit=1', idOnly)).json, 'results.0.title')).toBe('ßßß last');
    const other = await api.request('GET', `${registry}/tenant/schemas/${encodeURIComponent(id)}`, { headers: { accept: 'application/vnd.adobe.xed+json; version=1' } });
    expect(other.status).toBe(404);
    expect((await api.request('DELETE', `${registry}/tenant/datatypes/${encodeURIComponent(id)}`)).status).toBe(204);
    const after = await get('/tenant/datatypes?orderby=-title&limit=1', idOnly);
    expect(at(after.json, 'results.0.title')).not.toBe('ßßß last');
    expect((await api.request('GET', `${registry}/tenant/datatypes/${encodeURIComponent(id)}`, { headers: { accept: 'application/vnd.adobe.xed+json; version=1' } })).status).toBe(404);
  });

  it('are backfilled by the migration from the documents already stored', async () => {
    const db = api.store.db;
    const rows = () => db.selectFrom('registry_documents').selectAll().orderBy('kind').orderBy('id').execute();
    const references = () => db.selectFrom('registry_references').selectAll().orderBy('kind').orderBy('id').orderBy('referenced_id').execute();
    const before = await rows();
    const referencesBefore = await references();
    expect(before.length).toBe(datatypeCount + 4);
    // The field group names the data type; the schema names its class and field groups.
    expect(referencesBefore.map((row) => row.kind)).toEqual(expect.arrayContaining(['xdm.mixins', 'xdm.schemas']));
    await dropDocumentRows(db as unknown as Kysely<unknown>);
    await addDocumentRows(db as unknown as Kysely<unknown>);
    expect(await rows()).toEqual(before);
    expect(await references()).toEqual(referencesBefore);
  });

  it('imports a payload reading what each resource names, not the sandbox\'s every document', async () => {
    const exported = await get(`/rpc/export/${schemaAltId}`, 'application/json');
    expect((exported.json as JsonObject[]).map((doc) => doc['meta:resourceType'])).toEqual(['datatypes', 'mixins', 'schemas']);
    const placeholder = '<XDM_TENANTID_PLACEHOLDER>';
    const fresh = { $id: `https://ns.adobe.com/${placeholder}/datatypes/0f1e2d3c4b5a`, title: 'imported type', type: 'object', properties: { code: { type: 'string' } } };
    counter.reset();
    const imported = await api.request('POST', `${registry}/rpc/import`, { body: [...(exported.json as JsonObject[]), fresh] });
    expect(imported.status, imported.text).toBe(200);
    // The three already there are reused; the new one is created. Each resource reads itself and what it builds on.
    expect((imported.json as JsonObject[]).map((doc) => doc.title)).toEqual([...(exported.json as JsonObject[]).map((doc) => doc.title), 'imported type']);
    expect(counter.read('resources')).toBeLessThan(datatypeCount);
    // A title the sandbox has (exactly) is refused naming it; one that only folds alike is another title.
    const taken = titles.find((title) => title.toUpperCase() !== title) as string;
    const clash = await api.request('POST', `${registry}/rpc/import`, { body: [{ ...fresh, $id: `https://ns.adobe.com/${placeholder}/datatypes/aaaa0001`, title: taken }] });
    expect(clash.status, clash.text).toBe(400);
    expect(str(clash.json, 'detail')).toContain('Title must be unique');
    expect(at(clash.json, 'report.sub-errors.0.path')).toBe('/0/title');
    const alike = await api.request('POST', `${registry}/rpc/import`, { body: [{ ...fresh, $id: `https://ns.adobe.com/${placeholder}/datatypes/aaaa0002`, title: taken.toUpperCase() }] });
    expect(alike.status, alike.text).toBe(200);
  });
  it('pages the xdm-v2 descriptor list by @id or another field, reading the descriptors a stretch at a time', async () => {
    const schema = str((await get(`/tenant/schemas/${schemaAltId}`, 'application/vnd.adobe.xed+json; version=1')).json, '$id');
    for (let i = 0; i < 7; i += 1) {
      const created = await api.request('POST', `${registry}/tenant/descriptors`, {
        body: { '@type': 'xdm:alternateDisplayInfo', 'xdm:sourceSchema': schema, 'xdm:sourceVersion': 1, 'xdm:sourceProperty': '/personalEmail/address', 'xdm:title': { en_us: `Email ${7 - i}` } },
      });
      expect(created.status, created.text).toBe(201);
    }
    const grouped = await get('/tenant/descriptors', 'application/vnd.adobe.xdm-id+json');
    const all = Object.values(grouped.json as Record<string, string[]>).flat();
    expect(all).toHaveLength(8);
    /** Every page of one order, following `_links.next`; fails instead of looping. */
    const pageThroughDescriptors = async (query: string, accept: string) => {
      const seen: unknown[] = [];
      let path: string | null = `/tenant/descriptors?${query}`;
      for (let pages = 0; path !== null; pages += 1) {
        expect(pages, `pages of ${query}`).toBeLessThan(10);
        const page = await get(path, accept);
        // Every descriptor once (the filters are on the bodies), nothing else of the registry, nothing twice.
        expect(page.bodiesRead).toBe(8);
        const results = at(page.json, 'results') as unknown[];
        seen.push(...results);
        const href = at(page.json, '_links.next') === null ? null : str(page.json, '_links.next.href');
        // These orders have no ties: a page before the last holds exactly `limit`, and says so.
        const limit = Number(new URLSearchParams(query).get('limit'));
        if (href !== null) expect([results.length, at(page.json, '_page.count')]).toEqual([limit, limit]);
        path = href === null ? null : href.slice(registry.length);
        if (href === null) expect(at(page.json, '_page.next')).toBeNull();
      }
      return seen;
    };
    const byId = await pageThroughDescriptors('limit=3', 'application/vnd.adobe.xdm-v2-id+json');
    expect(byId).toEqual([...all].sort());
    const byTitle = (await pageThroughDescriptors('orderby=-xdm:title.en_us&limit=2', 'application/vnd.adobe.xdm-v2+json')) as JsonObject[];
    // The identity descriptor has no title: it sorts last ascending, so first descending, as untitled components do.
    expect(byTitle.map((d) => at(d, 'xdm:title.en_us'))).toEqual([undefined, 'Email 7', 'Email 6', 'Email 5', 'Email 4', 'Email 3', 'Email 2', 'Email 1']);
    const filtered = await pageThroughDescriptors(`property=${encodeURIComponent('@type==xdm:alternateDisplayInfo')}&limit=4`, 'application/vnd.adobe.xdm-v2-link+json');
    expect(filtered).toHaveLength(7);
    expect(filtered.every((link) => String(link).startsWith('/tenant/descriptors/'))).toBe(true);
    const ofSchema = await get(`/tenant/descriptors?property=${encodeURIComponent(`xdm:sourceSchema==${schema}`)}&limit=5`, 'application/vnd.adobe.xdm-v2-id+json');
    expect(at(ofSchema.json, '_page.count')).toBe(5);
    const refused = await api.request('GET', `${registry}/tenant/descriptors?limit=501`, { headers: { accept: 'application/vnd.adobe.xdm-v2+json' } });
    expect(refused.status).toBe(400);
  });
});
