import type { Fixture } from './fixture.js';
import { utf8, type FuzzRequest } from './http.js';
import type { Rng } from './prng.js';
import type { BaseRequest, FuzzRoute } from './routes.js';
import { accepts, contentTypes, gatewayMutation, ifMatches, pathGarbage, queryValue, rawCorruptions } from './pools.js';
import { deepValue, getAt, hugeString, pathsOf, randomValue, specialKeys, unicodeStrings, withAt, withKey, wrongType, type JsonValue } from './values.js';
import { patchBody } from './patch-mutations.js';

/** A request being mutated: still structured, so mutations can aim at one part. */
interface Draft {
  route: FuzzRoute;
  params: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body: { kind: 'json'; value: JsonValue } | { kind: 'form'; fields: [string, string][] } | { kind: 'raw'; bytes: Uint8Array<ArrayBuffer> } | undefined;
  /** null: send no Content-Type at all. */
  contentType: string | null;
  notes: string[];
}

type Mutation = (d: Draft, rng: Rng, f: Fixture) => void;

const jsonValueMutation: Mutation = (d, rng, f) => {
  if (d.body?.kind !== 'json') return;
  const root = d.body.value;
  if (rng.chance(0.1)) {
    d.body.value = randomValue(rng, [f.ids.flow, f.ids.schema]);
    d.notes.push('random root value');
    return;
  }
  const path = rng.pick(pathsOf(root));
  const at = path.length === 0 ? '(root)' : `/${path.join('/')}`;
  const current = getAt(root, path);
  const [name, replacement] = rng.weighted<() => [string, JsonValue | undefined]>([
    [() => ['delete', undefined], path.length > 0 ? 3 : 0],
    [() => ['null', null], 2],
    [() => ['wrong type', wrongType(current, rng)], 4],
    [() => ['huge string', hugeString(rng)], 1],
    [() => ['depth 200', deepValue(200, rng)], 1],
    [() => ['unicode', rng.pick(unicodeStrings)], 2],
    [() => ['extra field', current !== null && typeof current === 'object' && !Array.isArray(current) ? withKey(current, rng.pick(specialKeys), randomValue(rng, [f.ids.connection])) : { [rng.pick(specialKeys)]: 1 }], 3],
  ])();
  const next = withAt(root, path, replacement);
  d.body.value = next === undefined ? null : next;
  d.notes.push(`${name} at ${at}`);
};

const rawMutation: Mutation = (d, rng) => {
  const text = d.body?.kind === 'json' ? JSON.stringify(d.body.value) : d.body?.kind === 'form' ? new URLSearchParams(d.body.fields).toString() : '{}';
  const [name, corrupt] = rng.pick(rawCorruptions);
  d.body = { kind: 'raw', bytes: corrupt(text, rng) };
  d.notes.push(`raw: ${name}`);
};

const contentTypeMutation: Mutation = (d, rng) => {
  const value = rng.pick(contentTypes);
  d.contentType = value;
  // fetch refuses a body on GET; there the header alone goes (and is dropped when nothing is sent).
  if (d.body === undefined && d.route.method !== 'GET') d.body = { kind: 'json', value: {} };
  d.notes.push(`content-type ${value === null ? 'missing' : JSON.stringify(value)}`);
};

const patchMutation: Mutation = (d, rng, f) => {
  d.body = { kind: 'json', value: patchBody(rng, f) };
  d.notes.push('json patch');
};

const formMutation: Mutation = (d, rng, f) => {
  if (d.body?.kind !== 'form') return;
  const fields = [...d.body.fields];
  const index = rng.int(0, fields.length - 1);
  const [key] = fields[index] ?? ['x'];
  const action = rng.pick(['drop', 'garble', 'duplicate', 'empty', 'other secret'] as const);
  if (action === 'drop') fields.splice(index, 1);
  if (action === 'garble') fields[index] = [key, queryValue(key, rng, f)];
  if (action === 'duplicate') fields.push([key, queryValue(key, rng, f)]);
  if (action === 'empty') fields[index] = [key, ''];
  if (action === 'other secret') fields.push(['client_secret', `p8e-${'A'.repeat(32)}`]);
  d.body = { kind: 'form', fields };
  d.notes.push(`form ${action} ${key}`);
};

const queryMutation: Mutation = (d, rng, f) => {
  const known = d.route.query ?? [];
  const key = known.length > 0 && rng.chance(0.8) ? rng.pick(known) : rng.pick(['__proto__', 'constructor', 'x', 'limit', 'property', 'toString']);
  const action = rng.weighted([['set', 6], ['duplicate', 1], ['remove', key in Object.fromEntries(d.query) ? 1 : 0]] as const);
  if (action === 'remove') d.query = d.query.filter(([k]) => k !== key);
  else {
    if (action === 'set') d.query = d.query.filter(([k]) => k !== key);
    // Most values are encoded; some go raw so the server's own decoder meets '%zz' and friends.
    const value = queryValue(key, rng, f);
    d.query.push([key, rng.chance(0.8) ? encodeURIComponent(value) : value.replace(/[#&\s]/g, encodeURIComponent)]);
  }
  d.notes.push(`query ${action} ${key}`);
};

const pathMutation: Mutation = (d, rng, f) => {
  const names = Object.keys(d.params);
  if (names.length === 0) return;
  const name = rng.pick(names);
  d.params[name] = pathGarbage(d.params[name] ?? '', rng, f);
  d.notes.push(`path param ${name}`);
};

const acceptMutation: Mutation = (d, rng) => {
  const value = rng.pick(accepts);
  if (value === null) delete d.headers.accept;
  else d.headers.accept = value;
  d.notes.push(`accept ${value === null ? 'missing' : JSON.stringify(value.slice(0, 60))}`);
};

const gatewayHeaderMutation: Mutation = (d, rng, f) => {
  d.notes.push(gatewayMutation(d.headers, rng, f));
};

const ifMatchMutation: Mutation = (d, rng) => {
  const current = d.headers['if-match'] ?? '"none"';
  const value = rng.pick(ifMatches(current));
  if (value === null) delete d.headers['if-match'];
  else d.headers['if-match'] = value;
  d.notes.push(`if-match ${value === null ? 'missing' : JSON.stringify(value.slice(0, 60))}`);
};

/** Which mutations fit a route, and how often: body routes spend most cases on their body. */
function mutationsFor(route: FuzzRoute, base: BaseRequest): (readonly [Mutation, number])[] {
  const json = base.json !== undefined;
  return [
    [jsonValueMutation, json ? 8 : 0],
    [rawMutation, json || base.form ? 3 : 0],
    [contentTypeMutation, json || base.form ? 2 : route.method === 'GET' ? 0 : 0.3],
    [patchMutation, route.patch ? 6 : 0],
    [formMutation, base.form ? 6 : 0],
    [queryMutation, route.query ? (json ? 2 : 8) : 1],
    [pathMutation, base.params ? (json ? 2 : 5) : 0],
    [acceptMutation, route.accept ? 4 : 0.3],
    [gatewayHeaderMutation, route.noGateway ? 0 : 2],
    [ifMatchMutation, base.headers?.['if-match'] ? 2 : 0],
  ];
}

/** One fuzz case: the route's valid request with one mutation (sometimes two, or none as a control). */
export function mutate(route: FuzzRoute, base: BaseRequest, gateway: Record<string, string>, rng: Rng, f: Fixture): FuzzRequest {
  const draft: Draft = {
    route,
    params: { ...base.params },
    query: Object.entries(base.query ?? {}).map(([k, v]) => [k, encodeURIComponent(v)]),
    headers: { ...(route.noGateway ? {} : gateway), ...base.headers },
    body: base.json !== undefined ? { kind: 'json', value: base.json as JsonValue } : base.form ? { kind: 'form', fields: Object.entries(base.form) } : undefined,
    contentType: base.contentType ?? (base.form ? 'application/x-www-form-urlencoded' : base.json !== undefined ? 'application/json' : null),
    notes: [],
  };
  const count = rng.weighted([[0, 0.05], [1, 0.75], [2, 0.2]] as const);
  const choices = mutationsFor(route, base);
  for (let i = 0; i < count; i += 1) rng.weighted(choices)(draft, rng, f);
  // Some GETs go as HEAD: Fastify answers HEAD for every GET route through the same handler.
  const method = route.method === 'GET' && rng.chance(0.05) ? 'HEAD' : route.method;
  return toRequest(draft, method);
}

function toRequest(d: Draft, method: string): FuzzRequest {
  // `*` is a wildcard parameter (a batch file's path, which may hold folders).
  const path = d.route.path.replace(/:(\w+)|\*$/g, (_m, name: string | undefined) => d.params[name ?? '*'] ?? '');
  const query = d.query.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
  const headers = { ...d.headers };
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (d.body?.kind === 'json') body = utf8(JSON.stringify(d.body.value));
  if (d.body?.kind === 'form') body = utf8(new URLSearchParams(d.body.fields).toString());
  if (d.body?.kind === 'raw') body = d.body.bytes;
  if (d.contentType !== null && body !== undefined) headers['content-type'] = d.contentType;
  return { method, url: query ? `${path}?${query}` : path, headers, body, mutation: d.notes.join(', ') || 'none (valid request)' };
}
