/**
 * Adobe's "Namespaces and Schemas Autogeneration Utility" collection (CDP, shared/reference/postman, MIT): a state
 * machine that signs in through /ims/token/v3, creates identity namespaces, then the twelve B2B schemas, their
 * field groups, identity and relationship descriptors, and enables them for Profile, repeating requests until the
 * answers satisfy it. Run with newman and its own environment file, given only the values a user fills in.
 * Identity Service (/data/core/idnamespace) and Profile (/data/core/ups) are not Tributary's: they must answer a
 * clean 404 in AEP's error shape, and the B2B flow must still complete within a bound of requests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { loadCollection, postmanDir } from './support/postman/collections.js';
import { listenHttpAndHttps } from './support/postman/dual-protocol-port.js';
import { runCollection, type CollectionRun } from './support/postman/run-collection.js';
import { at, startApi, type TestApi } from './support/test-api.js';
import { selfSignedCertificate } from './support/tls-certificate.js';

const backends = await availableBackends();
const registry = '/data/foundation/schemaregistry';
/** Far above the ~150 requests the B2B flow takes when every answer satisfies it; the collection looped 375 times before. */
const maxRequests = 400;

const b2bSchemas: Record<string, string> = {
  'B2B Account': 'https://ns.adobe.com/xdm/context/account',
  'B2B Person': 'https://ns.adobe.com/xdm/context/profile',
  'B2B Opportunity': 'https://ns.adobe.com/xdm/context/opportunity',
  'B2B Opportunity Person Relation': 'https://ns.adobe.com/xdm/classes/opportunity-person',
  'B2B Campaign': 'https://ns.adobe.com/xdm/classes/campaign',
  'B2B Campaign Member': 'https://ns.adobe.com/xdm/context/campaign-member',
  'B2B Marketing List': 'https://ns.adobe.com/xdm/classes/marketing-list',
  'B2B Marketing List Member': 'https://ns.adobe.com/xdm/classes/marketing-list-member',
  'B2B Activity': 'https://ns.adobe.com/xdm/context/experienceevent',
  'B2B Account Person Relation': 'https://ns.adobe.com/xdm/classes/account-person',
  'B2B Demandbase Account Intent': 'https://ns.adobe.com/b2b/demandbase/classes/demandbase-account-intent',
  'B2B Bombora Account Intent': 'https://ns.adobe.com/b2b/bombora/classes/bombora-account-intent',
};

describe.each(backends)("Adobe's CDP namespaces and schemas collection on $name", (backend) => {
  let api: TestApi;
  let run: CollectionRun;
  let front: { port: number; close: () => Promise<void> };

  beforeAll(async () => {
    api = await startApi(backend);
    const certificate = selfSignedCertificate(path.join(api.dataDir, 'tls'));
    front = await listenHttpAndHttps(api.app.server, certificate);
    const environment = JSON.parse(fs.readFileSync(path.join(postmanDir, 'scenario', 'CDP Environment.postman_environment.json'), 'utf8')) as { values: { key: string; value: string }[] };
    const gateway = `127.0.0.1:${front.port}`;
    const filled: Record<string, string> = {
      CLIENT_SECRET: api.credentials.client_secret,
      API_KEY: api.credentials.client_id,
      IMS: gateway,
      IMS_ORG: api.credentials.ims_org,
      SANDBOX_NAME: 'prod',
      TENANT_ID: api.tenantId,
      PLATFORM_URL: gateway,
    };
    for (const value of environment.values) if (filled[value.key] !== undefined) value.value = filled[value.key] ?? '';
    run = await runCollection({ collection: loadCollection('scenario/Namespaces and Schemas Autogeneration Utility.postman_collection.json'), environment, maxRequests, sslExtraCaCerts: certificate.certFile });
  }, 600_000);
  afterAll(async () => {
    await front?.close();
    await api?.close();
  });

  it('completes within the bound, signing in through /ims/token/v3 with the client credentials', () => {
    expect(run.stoppedAtBound, `${run.executions.length} requests`).toBe(false);
    const signIn = run.executions[0];
    expect(signIn?.url).toContain('/ims/token/v3');
    expect(signIn?.status).toBe(200);
    expect(run.executions.at(-1)?.name).toBe('Get Merge Policies');
  });

  it('answers Identity Service and Profile paths with a clean 404 in AEP\'s error shape', () => {
    const outside = run.executions.filter((e) => /\/data\/core\/(idnamespace|ups)\//.test(e.url));
    expect(outside.length).toBeGreaterThanOrEqual(3);
    for (const e of outside) {
      expect(e.status, e.url).toBe(404);
      expect(JSON.parse(e.body)).toMatchObject({ status: 404, type: expect.stringMatching(/^https:\/\/ns\.adobe\.com\/aep\/errors\//), title: expect.any(String) });
    }
  });

  it('creates the twelve B2B schemas on their classes, each with the field groups the collection adds', async () => {
    const list = await api.request('GET', `${registry}/tenant/schemas?orderby=title`, { headers: { accept: 'application/vnd.adobe.xed+json' } });
    const schemas = at(list.json, 'results') as { title: string; 'meta:class': string; allOf: { $ref: string }[]; 'meta:immutableTags'?: string[] }[];
    expect(Object.fromEntries(schemas.map((s) => [s.title, s['meta:class']]))).toEqual(b2bSchemas);
    const refs = schemas.flatMap((s) => s.allOf.map((r) => r.$ref));
    for (const fieldGroup of ['https://ns.adobe.com/xdm/mixins/account-details', 'https://ns.adobe.com/xdm/mixins/b2b-person-details', 'https://ns.adobe.com/xdm/mixins/events/emailopened', 'https://ns.adobe.com/b2b/marketo/marketo-web-url', 'https://ns.adobe.com/b2b/bombora/fieldgroups/bombora-account-intent-details']) {
      expect(refs, fieldGroup).toContain(fieldGroup);
    }
    // Every field group the collection's list names ends up in some schema.
    expect(new Set(refs).size).toBeGreaterThanOrEqual(12 + 36);
  });

  it('adds identity and relationship descriptors and enables the schemas for Profile', async () => {
    const descriptors = await api.request('GET', `${registry}/tenant/descriptors`, { headers: { accept: 'application/vnd.adobe.xdm+json' } });
    // xdm+json lists descriptor objects grouped by @type.
    const all = Object.values(descriptors.json as Record<string, { '@type': string }[]>).flat();
    const types = all.map((d) => d['@type']);
    expect(types.filter((t) => t === 'xdm:descriptorIdentity').length).toBeGreaterThanOrEqual(12);
    expect(types).toContain('xdm:descriptorRelationship');
    expect(types).toContain('xdm:descriptorReferenceIdentity');
    const unions = await api.request('GET', `${registry}/tenant/unions`, { headers: { accept: 'application/vnd.adobe.xed-id+json' } });
    expect((at(unions.json, 'results') as unknown[]).length).toBeGreaterThanOrEqual(10);
    expect(api.contractViolations).toEqual([]);
  });
});
