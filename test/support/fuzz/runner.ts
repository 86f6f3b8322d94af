import type { Fixture } from './fixture.js';
import { describeRequest, excerpt, send, type FuzzRequest, type FuzzResponse } from './http.js';
import { checkResponse, type Violation } from './invariants.js';
import { mutate } from './mutations.js';
import { deriveSeed, Rng } from './prng.js';
import { routeLabel, type FuzzRoute } from './routes.js';

export interface FuzzTally {
  requests: number;
  /** Distinct violations not listed as known server bugs, by key. */
  violations: Map<string, Violation>;
  /** How often each known server bug was hit, by bug name. */
  known: Map<string, number>;
  statuses: Map<number, number>;
}

export const newTally = (): FuzzTally => ({ requests: 0, violations: new Map(), known: new Map(), statuses: new Map() });

/** Sends one request and judges it: the store watch around it shows whether a rejected request wrote anything. */
export async function sendAndCheck(f: Fixture, label: string, request: FuzzRequest, records400 = false): Promise<{ response: FuzzResponse; violation: Violation | undefined }> {
  await f.watch.before();
  let response: FuzzResponse;
  try {
    response = await send(f.api.baseUrl, request);
  } catch (error) {
    // No answer at all (connection reset, server gone) is as bad as a 5xx.
    response = { status: 599, contentType: '', text: `no response: ${error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error)}` };
  }
  const change = await f.watch.after();
  // Only a 400 that names the query it recorded (`report.queryId`) may have written; a schema 400 must not.
  const recorded = records400 && response.status === 400 && /"queryId"\s*:/.test(response.text);
  const rejected = response.status >= 400 && response.status < 500 && !recorded;
  const violation = checkResponse(label, request, response, rejected ? change : undefined);
  return { response, violation };
}

/** Runs `cases` mutated requests against one route, recording violations in `tally`. */
export async function fuzzRoute(f: Fixture, route: FuzzRoute, seed: number, cases: number, knownBug: (v: Violation) => string | undefined, tally: FuzzTally): Promise<void> {
  const rng = new Rng(deriveSeed(seed, routeLabel(route)));
  for (let i = 0; i < cases; i += 1) {
    const base = await route.base(f, rng);
    const request = mutate(route, base, f.api.gatewayHeaders(), rng, f);
    const label = routeLabel({ method: request.method, path: route.path });
    const { response, violation } = await sendAndCheck(f, label, request, route.records400);
    tally.requests += 1;
    tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
    const known = violation && knownBug(violation);
    if (known) tally.known.set(known, (tally.known.get(known) ?? 0) + 1);
    else if (violation && !tally.violations.has(violation.key)) tally.violations.set(violation.key, violation);
    // Only a DELETE (of a resource or a sandbox) can remove what later cases point at.
    if (route.method === 'DELETE' && response.status < 300) await f.repair();
  }
}

export function describeViolation(v: Violation, seed: number): string {
  return [
    `${v.key}: ${v.problem}`,
    `  seed ${seed} (FUZZ_SEED=${seed} replays it)`,
    `  request:  ${describeRequest(v.request)}`,
    `  response: ${v.status} ${v.response.contentType} ${excerpt(v.response.text, 600)}`,
  ].join('\n');
}
