import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { startApi, type TestApi } from './support/test-api.js';
import { Fixture } from './support/fuzz/fixture.js';
import { jsonDepth, utf8, type FuzzRequest } from './support/fuzz/http.js';
import type { Violation } from './support/fuzz/invariants.js';
import { seedFromEnv } from './support/fuzz/prng.js';
import { compareRoutes, parsePrintedRoutes } from './support/fuzz/route-coverage.js';
import { fuzzRoutes } from './support/fuzz/routes.js';
import { describeViolation, fuzzRoute, newTally, sendAndCheck } from './support/fuzz/runner.js';

/**
 * Random and mutated requests against every AEP route, checking two invariants: a client mistake is never
 * a 5xx but a 4xx in AEP's error shape, and a rejected request changes no stored data.
 * FUZZ_SEED=<n> replays a run, FUZZ_SEED=random explores; FUZZ_CASES scales the number of cases per route.
 */
const seed = seedFromEnv(process.env.FUZZ_SEED, 20261129);
const casesPerRoute = Number(process.env.FUZZ_CASES ?? 60);
if (!Number.isInteger(casesPerRoute) || casesPerRoute < 1) throw new Error(`FUZZ_CASES must be a positive integer, got ${process.env.FUZZ_CASES}`);
// Store behaviour is covered on both backends elsewhere; the fuzz needs only one, and SQLite is always there.
const [backend] = await availableBackends();

/** True when a body is a JSON Patch array with an operation whose `op` is an object. */
function patchOpIsObject(body: Uint8Array | undefined): boolean {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
    return Array.isArray(parsed) && parsed.some((op: unknown) => typeof op === 'object' && op !== null && 'op' in op && typeof op.op === 'object' && op.op !== null);
  } catch {
    return false;
  }
}

interface Repro {
  method: string;
  /** The route as the fuzz names it (`/x/:id`), so the error-shape rules for that route apply. */
  route: string;
  url: (f: Fixture) => string;
  headers?: Record<string, string | undefined>;
  body?: (f: Fixture) => string;
}

/**
 * Violations the fuzz found and that were fixed, each with a minimal request reproducing it; they run as
 * regression tests below. A newly found bug that cannot be fixed at once goes into `knownServerBugs`
 * (which the fuzz then ignores, narrowly) and gets an `it.skip` until it is.
 */
const fixedServerBugs: { name: string; matches: (v: Violation) => boolean; repro: Repro }[] = [
  {
    name: 'a path with malformed percent-encoding (%zz, %FF) answers 400 in Fastify\'s error body, not AEP\'s',
    matches: (v) => v.status === 400 && v.errorType === 'fastify:FST_ERR_BAD_URL',
    repro: { method: 'GET', route: '/data/foundation/flowservice/connections/:id', url: () => '/data/foundation/flowservice/connections/%zz' },
  },
  {
    name: 'a path parameter longer than 2048 characters answers 414 in Fastify\'s error body, not AEP\'s',
    matches: (v) => v.status === 414 && v.errorType === 'fastify:FST_ERR_MAX_PARAM_LENGTH',
    repro: { method: 'GET', route: '/data/foundation/flowservice/flows/:id', url: () => `/data/foundation/flowservice/flows/${'x'.repeat(3000)}` },
  },
  {
    name: 'headers over 16 kB answer 431 in Fastify\'s client-error body, not AEP\'s',
    matches: (v) => v.status === 431 && v.errorType.startsWith('fastify:'),
    repro: { method: 'GET', route: '/data/foundation/flowservice/connections', url: () => '/data/foundation/flowservice/connections', headers: { 'x-padding': 'x'.repeat(20_000) } },
  },
  {
    name: 'POST /ims/token/v3 with an unsupported Content-Type answers 500 (error body fails the IMS response schema)',
    matches: (v) => v.route === 'POST /ims/token/v3' && v.status === 500 && v.errorType === 'fastify:FST_ERR_FAILED_ERROR_SERIALIZATION',
    repro: {
      method: 'POST',
      route: '/ims/token/v3',
      url: () => '/ims/token/v3',
      headers: { authorization: undefined, 'x-api-key': undefined, 'x-gw-ims-org-id': undefined, 'x-sandbox-name': undefined, 'content-type': 'text/plain' },
      body: (f) => `grant_type=client_credentials&client_id=${f.api.credentials.client_id}&client_secret=x`,
    },
  },
  {
    name: 'a JSON body nested 5000 deep answers 500 (stack overflow in JSON.stringify) instead of 400',
    matches: (v) => v.status === 500 && jsonDepth(v.request.body) > 1000,
    repro: {
      method: 'PUT',
      route: '/data/foundation/catalog/dataSets/:id',
      url: (f) => `/data/foundation/catalog/dataSets/${f.ids.spareDataSet}`,
      body: () => `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
    },
  },
  {
    name: 'a JSON Patch operation whose "op" is an object with a non-function toString answers 500 (String() in the patch parser)',
    matches: (v) => v.status === 500 && patchOpIsObject(v.request.body),
    repro: {
      method: 'PATCH',
      route: '/data/foundation/schemaregistry/tenant/:type/:id',
      url: (f) => `/data/foundation/schemaregistry/tenant/schemas/${encodeURIComponent(f.ids.spareSchema)}`,
      headers: { 'content-type': 'application/json-patch+json' },
      body: () => '[{"op":{"toString":1},"path":"/title","value":"x"}]',
    },
  },
  {
    name: 'orderby on a stored field holding {"toString": 1} answers 500 (String() when sorting lists)',
    matches: (v) => v.status === 500 && /[?&]order[bB]y=[^&]*fuzzField/.test(v.request.url),
    repro: { method: 'GET', route: '/data/foundation/flowservice/sourceConnections', url: () => '/data/foundation/flowservice/sourceConnections?orderby=data.fuzzField' },
  },
  {
    name: 'a property=field~regex filter on a stored field holding {"toString": 1} answers 500 (String() when filtering lists)',
    matches: (v) => v.status === 500 && /[?&]property=[^&]*fuzzField[^&]*(~|%7E)/i.test(v.request.url),
    repro: {
      method: 'GET',
      route: '/data/foundation/catalog/dataSets',
      url: () => `/data/foundation/catalog/dataSets?property=${encodeURIComponent('fileDescription.fuzzField~a')}`,
    },
  },
];

/** Bugs found and not yet fixed; empty today. */
const knownServerBugs: typeof fixedServerBugs = [];

// The seed stays out of test names, so a test keeps its name (and its history) from run to run.
describe(`request fuzz on ${backend?.name ?? 'no backend'}`, () => {
  let api: TestApi;
  let fixture: Fixture;

  beforeAll(async () => {
    if (!backend) throw new Error('no test backend available');
    api = await startApi(backend);
    fixture = new Fixture(api);
    await fixture.build();
    console.info(`request fuzz: seed ${seed}, ${casesPerRoute} cases per route (FUZZ_SEED=${seed} replays this run)`);
  });
  afterAll(async () => api?.close());

  it('has a fuzz entry for every route the server registers, and none for routes it lacks', () => {
    const printed = parsePrintedRoutes(api.app.server.printRoutes({ commonPrefix: false }));
    expect(printed.length).toBeGreaterThan(40);
    expect(compareRoutes(printed, Object.values(fuzzRoutes).flat())).toEqual({ uncovered: [], stale: [] });
  });

  for (const [service, routes] of Object.entries(fuzzRoutes)) {
    it(`never answers 5xx and never writes on a rejected request: ${service}`, { timeout: 120_000 }, async () => {
      const tally = newTally();
      const knownBug = (v: Violation) => knownServerBugs.find((bug) => bug.matches(v))?.name;
      for (const route of routes) await fuzzRoute(fixture, route, seed, casesPerRoute, knownBug, tally);
      const statuses = [...tally.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}x${n}`).join(' ');
      console.info(`request fuzz ${service}: ${tally.requests} requests (${statuses}); known bugs hit: ${[...tally.known].map(([k, n]) => `${k} x${n}`).join('; ') || 'none'}`);
      const found = [...tally.violations.values()].map((v) => describeViolation(v, seed));
      expect(found, `${found.length} distinct invariant violation(s) on ${service}:\n\n${found.join('\n\n')}`).toEqual([]);
    });
  }

  describe('bugs the fuzz found, fixed', () => {
    for (const bug of fixedServerBugs) {
      it(bug.name, async () => {
        const headers: Record<string, string> = { ...api.gatewayHeaders() };
        for (const [name, value] of Object.entries(bug.repro.headers ?? {})) {
          if (value === undefined) delete headers[name];
          else headers[name] = value;
        }
        const body = bug.repro.body?.(fixture);
        if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
        const request: FuzzRequest = { method: bug.repro.method, url: bug.repro.url(fixture), headers, body: body === undefined ? undefined : utf8(body), mutation: bug.name };
        const { violation } = await sendAndCheck(fixture, `${request.method} ${bug.repro.route}`, request);
        expect(violation && describeViolation(violation, seed)).toBeUndefined();
      });
    }
  });
});
