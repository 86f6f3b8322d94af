/**
 * Adobe's "Populate Luma Schemas and Adobe Solution data" Postman collection (shared/reference/postman, MIT), run
 * unmodified with newman but for what a user must supply anyway: the gateway URL and credentials, and the files
 * its upload requests send (they name files on the author's laptop). Its two auth folders call Adobe IMS on the
 * internet and are left out, as its PROVENANCE says. Every request must be answered as its test scripts expect,
 * and the four datasets it fills must hold the uploaded rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { lakeRows } from './support/file-flow.js';
import { fileBodyOf, loadCollection, pointFileBodiesAt, requestsOf, type PostmanCollection } from './support/postman/collections.js';
import { listenHttpAndHttps } from './support/postman/dual-protocol-port.js';
import { runCollection, runProblems, type CollectionRun } from './support/postman/run-collection.js';
import { selfSignedCertificate } from './support/tls-certificate.js';
import { at, startApi, type TestApi } from './support/test-api.js';

const backends = await availableBackends();
const lumaFile = 'scenario/Populate_Luma_Schemas_and_Adobe_Solution_data.json';
const authFolders = ['Auth setup', 'Auth Key Request'];

/** Luma-like events for the collection's uploads, shaped by the schemas it creates. */
function campaignEvents(channel: string): object[] {
  return [1, 2, 3].map((n) => ({
    _id: `${channel}-event-${n}`,
    timestamp: `2024-03-0${n}T10:00:00Z`,
    eventType: 'message.tracking',
    _experience: { campaign: { message: { id: 1000 + n, profileSnapshot: { person: { name: { firstName: ['Ada', 'Alan', 'Grace'][n - 1] } } } } } },
  }));
}

function analyticsHits(kind: string): object[] {
  return [1, 2, 3, 4].map((n) => ({
    _id: `${kind}-hit-${n}`,
    timestamp: `2024-03-0${n}T11:00:00Z`,
    eventType: 'web.webpagedetails.pageViews',
    web: { webPageDetails: { name: `luma page ${n}`, URL: `https://luma.example/p/${n}`, pageViews: { value: 1 } } },
    _experience: { analytics: { session: { num: n, depth: n + 1 } } },
  }));
}

const uploads: Record<string, object[]> = {
  'Luma - Events Dataset for Mobile App.json': campaignEvents('mobile'),
  'Luma - Events Dataset for Web.json': campaignEvents('web'),
  'Luma_midValues.json': analyticsHits('mid'),
  'Luma_postValues.json': analyticsHits('post'),
};

describe.each(backends)("Adobe's Luma collection on $name", (backend) => {
  let api: TestApi;
  let run: CollectionRun;
  let collection: PostmanCollection;
  let front: { port: number; close: () => Promise<void> };

  beforeAll(async () => {
    api = await startApi(backend);
    const dir = path.join(api.dataDir, 'luma-files');
    fs.mkdirSync(dir, { recursive: true });
    const files: Record<string, string> = {};
    for (const [name, rows] of Object.entries(uploads)) {
      files[name] = path.join(dir, name);
      fs.writeFileSync(files[name], rows.map((row) => JSON.stringify(row)).join('\n'));
    }
    const certificate = selfSignedCertificate(path.join(api.dataDir, 'tls'));
    front = await listenHttpAndHttps(api.app.server, certificate);
    collection = loadCollection(lumaFile);
    const folders = (collection.item as { name: string }[]).map((item) => item.name).filter((name) => !authFolders.includes(name));
    run = await runCollection({
      collection: pointFileBodiesAt(collection, files),
      folder: folders,
      envVar: [
        // A host:port, as its COMPLETE requests put https:// in front of it (see listenHttpAndHttps).
        { key: 'PLATFORM_GATEWAY', value: `127.0.0.1:${front.port}` },
        { key: 'access_token', value: api.credentials.access_token },
        { key: 'clientID', value: api.credentials.client_id },
        { key: 'OrgID', value: api.credentials.ims_org },
      ],
      maxRequests: 100,
      sslExtraCaCerts: certificate.certFile,
    });
  }, 300_000);
  afterAll(async () => {
    await front?.close();
    await api?.close();
  });

  it('sends all 36 requests outside the auth folders, each answered as its test scripts expect', () => {
    expect(runProblems(run)).toEqual([]);
    expect(run.executions).toHaveLength(36);
    expect(run.executions.flatMap((e) => e.assertions).length).toBeGreaterThan(60);
    expect(run.executions.filter((e) => e.status === undefined || e.status >= 400).map((e) => `${e.name}: ${e.status} ${e.body.slice(0, 300)}`)).toEqual([]);
  });

  it('creates the schemas on Adobe application field groups it asks for', () => {
    const schemas = run.executions.filter((e) => e.method === 'POST' && e.url.endsWith('/schemaregistry/tenant/schemas'));
    expect(schemas).toHaveLength(10);
    const refs = schemas.flatMap((e) => (at(JSON.parse(e.body), 'allOf') as { $ref: string }[]).map((r) => r.$ref));
    expect(refs).toEqual(expect.arrayContaining(['https://ns.adobe.com/experience/campaign/experienceevent-all', 'https://ns.adobe.com/experience/analytics-experienceevent', 'https://ns.adobe.com/experience/target-experienceevent', 'https://ns.adobe.com/xdm/context/profile-preferences-details', 'https://ns.adobe.com/xdm/context/experienceevent-marketing']));
  });

  it('lands every uploaded row in its dataset, each batch a success', async () => {
    const uploaded = new Map(requestsOf(collection.item).filter((item) => item.request?.method === 'PUT').map((item) => [item.name, fileBodyOf(item) ?? '']));
    const puts = run.executions.filter((e) => e.method === 'PUT');
    expect(puts).toHaveLength(4);
    for (const put of puts) {
      const [, batchId = '', dataSetId = ''] = /\/batches\/([^/]+)\/datasets\/([^/]+)\//.exec(put.url) ?? [];
      const status = await api.request('GET', `/data/foundation/catalog/batches/${batchId}`);
      expect(at(status.json, `${batchId}.status`), put.name).toBe('success');
      const rows = (await lakeRows(api, dataSetId, '_id')).map((r) => r._id).sort();
      const sent = (uploads[uploaded.get(put.name) ?? ''] ?? []).map((r) => (r as { _id: string })._id).sort();
      expect(sent.length, put.name).toBeGreaterThan(0);
      expect(rows, put.name).toEqual(sent);
    }
    expect(api.contractViolations).toEqual([]);
  });
});
