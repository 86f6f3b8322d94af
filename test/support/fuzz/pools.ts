import type { Fixture } from './fixture.js';
import { utf8 } from './http.js';
import type { Rng } from './prng.js';
import { garbageStrings } from './values.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Query values by parameter: plausible-but-wrong first, then generic garbage. */
const queryPools: Record<string, string[]> = {
  limit: ['0', '-1', '1.5', 'abc', '1e3', '99999999999999999999', '1001', '501', '101', '', ' 1', '0x10', '1'],
  start: ['-1', 'abc', '1.5', '99999999999999999999', '', 'zzzz', '\u0000', 'é'],
  orderby: ['', '-', '+', ',', 'a,,b', 'desc:', 'asc:', '-name,+', 'name;drop', '~', '__proto__', 'constructor.name', 'a'.repeat(3000), 'desc:__proto__', '-title', 'meta:altId', 'créé', '+createdAt,-name'],
  property: [
    'name=="', '==x', 'a~(', 'name~(', 'name~[', 'name~*', '!', '!!name', 'name==', 'name==,', 'name=="a,b', 'name>=', '__proto__==x',
    'constructor==x', 'toString', `name==${'x'.repeat(5000)}`, 'a.b.c.d==1', 'items[]==1', 'name<>x', '=', '==', 'name===x', 'name~^(a|a)*$',
    'id==a,b,c', 'createdAt>abc', 'title~.*', 'name!=', 'name==\'x\'', '.==1', '[]==1',
  ],
  continuationToken: [
    'garbage', '', '%%%', 'x'.repeat(6000), b64('null'), b64('[]'), b64('"x"'), b64('{"offset":-1,"limit":1,"property":[]}'),
    b64('{"offset":0,"limit":1,"property":["=="]}'), b64('{"offset":0,"limit":1,"property":[],"orderby":"!!"}'),
    b64('{"offset":1e308,"limit":1,"property":[]}'), b64('{"offset":0,"limit":1e9,"property":[]}'), b64('{"offset":0,"limit":1,"property":[1]}'),
    b64('{"offset":0,"limit":1,"property":"name==x"}'), b64('{"offset":0,"limit":1,"property":[],"orderby":{"a":1}}'),
    b64('{"__proto__":{"offset":0},"limit":1,"property":[]}'), b64('{"offset":0,"limit":1,"property":["name~("]}'),
  ],
  count: ['maybe', 'true', 'TRUE', '1', '0', '', 'false'],
  op: ['enable', 'disable', 'ENABLE', 'delete', '', '__proto__', 'x'.repeat(3000)],
  'if-match': ['*', '"x"', 'W/"x"', '', 'x'.repeat(3000)],
  version: ['-1', 'x', '1.5', '999999999999', '0', '1', '99999999999999999999'],
  expandSchema: ['x', 'true', '1', 'yes', ''],
  properties: ['', ',', 'name,,id', '__proto__', 'constructor', 'toString', 'x'.repeat(3000), 'name,schemaRef'],
  requestDataSource: ['maybe', '1', 'true', ''],
  createdAfter: ['x', '1e400', '-1', '99999999999999999999', '1.5'],
  name: ['!', '!,', ',', '!!', 'x'.repeat(3000), '\u0000'],
  status: ['!', ',', 'x'],
  grant_type: ['client_credentials', 'password', '', 'x'.repeat(3000)],
};
/** Where the hostile fixture keeps its `{toString: 1}` objects: sorting and filtering on them must not crash. */
const hostilePaths = ['data.fuzzField', 'meta:fuzzField', 'fileDescription.fuzzField', 'fuzzField'];
queryPools.orderby?.push(...hostilePaths.flatMap((p) => [p, `-${p}`, `desc:${p}`]));
queryPools.property?.push(...hostilePaths.flatMap((p) => [`${p}~a`, `${p}==a`, `${p}>a`, `${p}!=a`, p, `!${p}`]));
queryPools.orderBy = queryPools.orderby ?? [];
queryPools.createdBefore = queryPools.createdAfter ?? [];

export function queryValue(key: string, rng: Rng, f: Fixture): string {
  // hasOwn: keys such as `__proto__` and `constructor` are fuzzed too, and must not find Object's members.
  const pool = Object.hasOwn(queryPools, key) ? queryPools[key] : undefined;
  if (key === 'client_id') return rng.pick([f.api.credentials.client_id.toUpperCase(), 'nope', '', ...garbageStrings]);
  if (key === 'client_secret') return rng.pick([f.api.credentials.client_secret.slice(0, -1), 'wrong', '', ...garbageStrings]);
  return pool && rng.chance(0.8) ? rng.pick(pool) : rng.pick(garbageStrings);
}

/** Path segments, already as sent (percent-encoded): traversal, NUL, slashes, prototype names, overlong. */
export function pathGarbage(current: string, rng: Rng, f: Fixture): string {
  const fixed = [
    'x', '0', '-1', '%00', 'a%00b', '%2F', 'a%2Fb', '..', '%2e%2e', '..%2F..%2Fetc', '%F0%9F%92%A9', '%C3%A9', '%FF', '%E0%A4%A', '%zz',
    '%', 'x'.repeat(3000), 'x'.repeat(200), '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', "'%20OR%201%3D1--",
    '*', '%20', 'null', 'undefined', '%22%22', '%252F', ';', '~', '.', 'global', 'tenant', 'behaviors', 'descriptors', 'prod',
  ];
  const derived = [
    `${current}%00`, current.toUpperCase(), current.slice(0, -1), `${current}x`, `${current}%2F..`, encodeURIComponent(f.ids.flow),
    encodeURIComponent(f.ids.schema), encodeURIComponent(`_${f.api.tenantId}.schemas.${f.ids.schema.split('/').pop() ?? ''}`), f.ids.dataSet,
  ];
  return rng.chance(0.7) ? rng.pick(fixed) : rng.pick(derived);
}

export const accepts: (string | null)[] = [
  null, '*/*', 'application/json', 'application/vnd.adobe.xed+json', 'application/vnd.adobe.xed+json; version=abc',
  'application/vnd.adobe.xed+json; version=', 'application/vnd.adobe.xed+json; version=99999999999999999999999',
  'application/vnd.adobe.xed+json; version=-1', 'application/vnd.adobe.xed+json; version=1.9', 'application/vnd.adobe.xed-id+json',
  'application/vnd.adobe.xed-full-notext-desc+json; version=1', 'application/vnd.adobe.xed-full-desc+json; version=1',
  'application/vnd.adobe.xdm+json', 'application/vnd.adobe.xdm-v2+json', 'application/vnd.adobe.xdm-v2-link+json', 'application/vnd.adobe.xdm-link+json',
  'application/vnd.adobe.xed-deprecatefield+json; version=1', 'text/html', 'application/xml', ';;;,,,', ',', 'x'.repeat(4000),
  'application/vnd.adobe.xed+json;version=1, text/html', 'application/vnd.adobe.xed+json; version=1; version=2',
  'APPLICATION/VND.ADOBE.XED-FULL+JSON; VERSION=1', 'application/vnd.adobe.xed++json; version=1', 'application/vnd.adobe.xed-full-full+json; version=1',
  'application/vnd.adobe.xed-flat+json; version=1', 'application/vnd.adobe.xdm-full+json; version=1',
];

export const contentTypes: (string | null)[] = [
  null, 'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=x',
  'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/json-patch+json', 'application/vnd.adobe.xed+json',
  ';;;', 'application/', 'application/json, text/plain', 'APPLICATION/JSON', 'application/jsonx', 'application/octet-stream', 'x'.repeat(2000),
];

/** Ways to break a serialized body; each gets the valid text and returns bytes. */
export const rawCorruptions: [string, (text: string, rng: Rng) => Uint8Array<ArrayBuffer>][] = [
  ['truncated', (t, rng) => utf8(t.slice(0, rng.int(0, Math.max(0, t.length - 1))))],
  ['trailing comma', (t) => utf8(t.replace(/([}\]])$/, ',$1'))],
  ['BOM', (t) => utf8(`\ufeff${t}`)],
  ['invalid UTF-8', (t) => new Uint8Array([...utf8(t.slice(0, Math.floor(t.length / 2))), 0xff, 0xfe, 0xc3, ...utf8(t.slice(Math.floor(t.length / 2)))])],
  ['empty', () => utf8('')],
  ['whitespace', () => utf8(' \n\t ')],
  ['two documents', (t) => utf8(`${t}${t}`)],
  ['single quotes', (t) => utf8(t.replace(/"/g, "'"))],
  ['comment', (t) => utf8(`/* c */${t}`)],
  ['NaN literal', (t) => utf8(t.replace(/:("[^"]*"|\d+)/, ':NaN'))],
  ['1e999', (t) => utf8(t.replace(/:("[^"]*"|\d+)/, ':1e999'))],
  ['duplicate key', (t) => utf8(t.replace(/^\{"([^"]+)":/, '{"$1":12,"$1":'))],
  ['__proto__ key', (t) => utf8(t.replace(/^\{/, '{"__proto__":{"polluted":true,"name":null},'))],
  ['constructor key', (t) => utf8(t.replace(/^\{/, '{"constructor":{"prototype":{"polluted":true}},'))],
  ['raw control char', (t) => utf8(t.replace(/"([^"]*)"/, '"$1\u0001\u0000"'))],
  ['lone surrogate escape', (t) => utf8(t.replace(/"([^"]*)"/, '"$1\\ud800"'))],
  ['depth 5000', () => utf8(`${'['.repeat(5000)}${']'.repeat(5000)}`)],
  ['object depth 5000', () => utf8(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`)],
  // Inside an otherwise valid body, so a handler that keeps unknown fields meets the depth too.
  ['deep extra field', (t) => utf8(t.replace(/^\{/, `{"fuzzDeep":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},`))],
  ['null text', () => utf8('null')],
  ['bare string', () => utf8('"just a string"')],
  ['number', () => utf8('-0.0e-0')],
  ['NUL byte', (t) => new Uint8Array([...utf8(t), 0])],
];

export function ifMatches(current: string): (string | null)[] {
  return [null, '', '*', '"garbage"', 'W/"x"', current.replace(/"/g, ''), `W/${current}`, '""', 'x'.repeat(3000), ',', '"a", "b"', `${current}, ${current}`, '"1"'];
}

/**
 * Breaks one gateway header; returns what it did. Values stay header-legal (fetch refuses the rest) and
 * short enough that two long mutations together stay under Node's 16 kB header limit (431 before Fastify).
 */
export function gatewayMutation(headers: Record<string, string>, rng: Rng, f: Fixture): string {
  const token = f.api.credentials.access_token;
  const flip = (s: string, i: number) => `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
  const options: Record<string, (string | null)[]> = {
    authorization: [null, 'Bearer', 'Bearer x', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', `bearer ${token}`, `Bearer ${flip(token, rng.int(0, token.length - 1))}`,
      `Bearer ${token.slice(0, -5)}`, `Bearer ${token} extra`, `Bearer ${'x'.repeat(4000)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', token],
    'x-api-key': [null, 'wrong', f.api.credentials.client_id.toUpperCase(), `${f.api.credentials.client_id}x`, 'x'.repeat(4000), 'é'],
    'x-gw-ims-org-id': [null, 'OTHER@AdobeOrg', f.api.credentials.ims_org.toLowerCase(), `${f.api.credentials.ims_org},${f.api.credentials.ims_org}`, 'x'.repeat(4000)],
    'x-sandbox-name': [null, 'nope', 'PROD', f.ids.sandbox, '..', 'x'.repeat(4000), 'prod,prod', '%00', 'é', '__proto__', 'constructor'],
    'x-sandbox-id': ['nope', '00000000-0000-0000-0000-000000000000', 'x'.repeat(3000), '__proto__'],
  };
  // Over Node's 16 kB header limit on purpose, but rarely: it is answered before routing, whatever the route.
  if (rng.chance(0.04)) options['x-padding'] = ['x'.repeat(20_000)];
  const name = options['x-padding'] ? 'x-padding' : rng.pick(Object.keys(options));
  const value = rng.pick(options[name] ?? [null]);
  if (value === null) delete headers[name];
  else headers[name] = value;
  return `${name} ${value === null ? 'missing' : JSON.stringify(value.slice(0, 40))}`;
}
