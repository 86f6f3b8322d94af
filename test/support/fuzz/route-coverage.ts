import { routeLabel, type FuzzRoute } from './routes.js';

/** Routes outside AEP's wire protocol, which the fuzz does not cover, each with the reason. */
export const notFuzzed: { prefix: string; exact?: boolean; reason: string }[] = [
  { prefix: '/', exact: true, reason: "the console's page (test/console-*.test.ts drive it in a browser)" },
  { prefix: '/index.html', reason: "the console's page" },
  { prefix: '/assets/', reason: "the console's built scripts and styles: files, no input" },
  { prefix: '/docs', reason: 'static API reference page served by @fastify/swagger-ui' },
  { prefix: '/openapi.json', reason: 'the generated OpenAPI document: no input' },
  { prefix: '/healthz', reason: 'liveness probe: no input' },
  { prefix: '/readyz', reason: 'readiness probe: no input' },
  { prefix: '/tributary/sandbox-accounts', reason: 'no input: the stand-ins `serve --sandbox` started (test/console-sandbox.test.ts)' },
  { prefix: '/metrics', reason: 'Prometheus exposition: no input but an optional bearer token (test/metrics-endpoint.test.ts)' },
];

/**
 * Reads Fastify's `printRoutes({ commonPrefix: false })` tree into `METHOD /path` lines. Each tree level is
 * four characters wide and a child's segment continues its parent's path.
 */
export function parsePrintedRoutes(printed: string): string[] {
  const parents: string[] = [];
  const out: string[] = [];
  for (const line of printed.split('\n')) {
    const match = /^(.*?)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = `${depth > 0 ? parents[depth - 1] ?? '' : ''}${match[2] ?? ''}`;
    parents[depth] = path;
    parents.length = depth + 1;
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '')) out.push(`${method} ${path}`);
  }
  return out;
}

/**
 * Fastify prints `/x/` as `/x` (ignoreTrailingSlash); compare without the slash. Its tree printer shows a
 * wildcard route only as `*` under the nearest parameter, dropping the static and parameter segments between
 * (`/batches/:batchId` + `*` for `/batches/:batchId/datasets/:datasetId/files/*`), so wildcard routes are
 * compared by the segments before the first parameter the printer kept.
 */
const normalise = (label: string) => {
  const plain = label.replace(/(.)\/$/, '$1');
  const wildcard = /^(\S+ .*?\/:\w+)(?:\/.*)?\*$/.exec(plain);
  return wildcard ? `${wildcard[1]}*` : plain;
};

/** Server routes without a fuzz entry, and fuzz entries the server no longer has. */
export function compareRoutes(printed: string[], routes: FuzzRoute[]): { uncovered: string[]; stale: string[] } {
  const covered = new Set<string>();
  for (const route of routes) {
    covered.add(normalise(routeLabel(route)));
    // Fastify answers HEAD for every GET route; the fuzz sends some GET cases as HEAD.
    if (route.method === 'GET') covered.add(normalise(routeLabel({ method: 'HEAD', path: route.path })));
  }
  const server = new Set(printed.map(normalise));
  const uncovered = [...server].filter((label) => !covered.has(label) && !notFuzzed.some((n) => {
    // The printer shows the root route as an empty path.
    const path = label.split(' ')[1] || '/';
    return n.exact ? path === n.prefix : path.startsWith(n.prefix);
  }));
  const stale = [...covered].filter((label) => !server.has(label));
  return { uncovered: uncovered.sort(), stale: stale.sort() };
}
