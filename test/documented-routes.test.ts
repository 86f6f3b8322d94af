/**
 * Every route Tributary serves that has an operation in Adobe's OpenAPI files has a success answer validated against
 * that operation in the suite: the per-API collections (postman-plain.test.ts) send most of them; this file sends
 * the rest, and checks that no implemented operation is left out of both. A new route with a documented operation
 * and no validated answer fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { loadContracts } from './support/contract/contract-validator.js';
import type { Service } from './support/contract/service.js';
import { plainRequests } from './support/postman/plain-collection.js';
import { plainCollections } from './support/postman/scenarios/plain-collections.js';
import { extraOperations } from './support/postman/scenarios/extra-operations.js';
import { at, startApi, type TestApi } from './support/test-api.js';

const [backend] = await availableBackends();
const contracts = loadContracts();

const bases: Record<Service, string> = {
  flowservice: '/data/foundation/flowservice',
  schemaregistry: '/data/foundation/schemaregistry',
  catalog: '/data/foundation/catalog',
  conversion: '/data/foundation/conversion',
  import: '/data/foundation/import',
};

/** `GET /flows/{FLOW_ID}` → a concrete path that template matches (`/flows/x0`), containers as `tenant`. */
function samplePath(template: string): string {
  return template.replace(/\{CONTAINER_ID\}/g, 'tenant').replace(/\{[^}]+\}/g, 'x0');
}

/** The operations of the five specs, each as `service METHOD /template`. */
function documentedOperations(): { service: Service; method: string; template: string }[] {
  return contracts.inventory().flatMap((spec) =>
    [...Object.keys(spec.checkable), ...spec.uncheckable].map((operation) => {
      const [method = '', template = ''] = operation.split(' ');
      return { service: spec.service, method, template };
    }),
  );
}

/** The operation a per-API collection request is, as the spec names it. */
function operationOfPlainRequest(key: string): string | null {
  const [method = '', path = ''] = key.split(' ');
  const [, service = '', ...rest] = path.split('/');
  const concrete = `/${rest.join('/')}`.replace(/:CONTAINER_ID/g, 'tenant').replace(/:[A-Za-z_-]+/g, 'x0');
  return contracts.check({ service: service as Service, method, path: concrete, status: 200, body: undefined }).operation;
}

describe('documented routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(backend!);
  });
  afterAll(async () => api?.close());

  it('validates a success answer of every implemented operation of Adobe\'s OpenAPI files', { timeout: 120_000 }, async () => {
    const implemented: string[] = [];
    for (const { service, method, template } of documentedOperations()) {
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      const response = await api.request(method, `${bases[service]}${samplePath(template)}`, body === undefined ? {} : { body });
      // A HEAD answer has no body to tell a missing route from a missing object: HEAD counts as served, so it
      // must be covered (the per-API collections send the one there is).
      const missing = method !== 'HEAD' && response.status === 404 && String(at(response.json, 'report.detailed-message') ?? '').startsWith('No API at');
      if (!missing) implemented.push(`${method} ${template}`);
    }
    const covered = new Set<string>();
    for (const [file] of plainCollections) {
      for (const request of plainRequests(file, 'https://127.0.0.1').requests) {
        const operation = operationOfPlainRequest(request.key);
        if (operation) covered.add(operation);
      }
    }
    for (const extra of extraOperations) {
      const answer = await extra.send(api);
      expect(answer.status, `${extra.operation}: ${answer.text.slice(0, 300)}`).toBeLessThan(300);
      covered.add(extra.operation);
    }
    expect(implemented.filter((operation) => !covered.has(operation))).toEqual([]);
    // 113 of the 127 operations today; fewer means the probe above stopped telling routes apart.
    expect(implemented.length).toBeGreaterThanOrEqual(113);
    expect(api.contractViolations).toEqual([]);
  });
});
