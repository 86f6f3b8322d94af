/**
 * Adobe's per-API reference collections (shared/reference/postman/plain, MIT): every request of each, sent by newman
 * as the collection holds it, with only the host changed and the variables a user fills in (test/support/postman/
 * scenarios), must be answered as Adobe's docs say: the status its OpenAPI file declares for the operation, and a
 * body that file's schema accepts.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { listenHttpAndHttps } from './support/postman/dual-protocol-port.js';
import { plainRequests, sendPlainRequest } from './support/postman/plain-collection.js';
import { plainCollections } from './support/postman/scenarios/plain-collections.js';
import { startApi, type TestApi } from './support/test-api.js';
import { selfSignedCertificate, type TlsCertificate } from './support/tls-certificate.js';

const backends = await availableBackends();

describe.each(backends)("Adobe's per-API collections on $name", (backend) => {
  let api: TestApi;
  let certificate: TlsCertificate;
  let front: { port: number; close: () => Promise<void> };
  const gateway = () => `https://127.0.0.1:${front.port}`;

  beforeAll(async () => {
    api = await startApi(backend);
    certificate = selfSignedCertificate(path.join(api.dataDir, 'tls'));
    front = await listenHttpAndHttps(api.app.server, certificate);
  });
  afterAll(async () => {
    await front?.close();
    await api?.close();
  });

  it.each(plainCollections)('%s: every request answered as the docs say', { timeout: 300_000 }, async (file, scenarios) => {
    const { collection, requests } = plainRequests(file, gateway());
    expect(requests.map((r) => r.key).filter((key) => !(key in scenarios)), 'requests without a scenario').toEqual([]);
    expect(Object.keys(scenarios).filter((key) => !requests.some((r) => r.key === key)), 'scenarios for no request').toEqual([]);
    const problems: string[] = [];
    for (const request of requests) {
      const outcome = await sendPlainRequest({ api, collection, request, scenario: scenarios[request.key] ?? {}, gateway: gateway(), sslExtraCaCerts: certificate.certFile });
      problems.push(...outcome.problems);
    }
    expect(problems).toEqual([]);
  });
});
