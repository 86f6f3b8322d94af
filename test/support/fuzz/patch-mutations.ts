import type { Fixture } from './fixture.js';
import type { Rng } from './prng.js';
import { randomValue, withKey, type JsonValue } from './values.js';

/** Pointers RFC 6901 forbids (`~2`), `-` where only `add` may use it, indexes out of range, prototype names. */
const pointers = [
  '', '/', 'name', '/name/', '/a/~2', '/~', '/-', '/name/-', '/allOf/-', '/allOf/-/x', '/allOf/99999999999999999999', '/allOf/-1',
  '/allOf/01', '/allOf/1e2', '/allOf/0', '/allOf/1', '//', '/__proto__', '/__proto__/polluted', '/constructor/prototype/x',
  '/transformations/0/params/__proto__', '/transformations/-', '/transformations/5', '/transformations/0/name', '/scheduleParams/__proto__',
  '/scheduleParams/interval', '/scheduleParams/frequency', '/description/0', '/~1', '/~01', `/${'a/'.repeat(500)}b`, `/name${'/x'.repeat(100)}`,
  '/auth/params/clientSecret', '/auth/params', '/auth', '/connectionSpec/id', '/state', '/id', '/etag', '/params/__proto__', '/params',
  '/params/tableName', '/data/format', '/meta:class', '/$id', '/version', '/title', '/definitions/fuzz/properties/__proto__', '/allOf/0/$ref',
  '/meta:intendedToExtend/-', '/properties/code/type', '/tags', '/tags/fuzz/-', '/schemaRef/id', '/description', '/name',
];
const ops: JsonValue[] = ['add', 'remove', 'replace', 'move', 'copy', 'test', 'ADD', 'Replace', 'delete', '', null, 1, ['add'], {}, 'add ', '_get'];

function operation(rng: Rng, f: Fixture): JsonValue {
  let op: { [key: string]: JsonValue } = {};
  if (rng.chance(0.9)) op = withKey(op, 'op', rng.chance(0.6) ? rng.pick(['add', 'remove', 'replace', 'move', 'copy', 'test']) : rng.pick(ops));
  if (rng.chance(0.9)) op = withKey(op, 'path', rng.chance(0.9) ? rng.pick(pointers) : randomValue(rng, []));
  if (rng.chance(0.7)) op = withKey(op, 'value', randomValue(rng, [f.ids.mapping, f.ids.spareFieldGroup, f.ids.dataSet]));
  if (rng.chance(0.3)) op = withKey(op, 'from', rng.chance(0.9) ? rng.pick(pointers) : randomValue(rng, []));
  return op;
}

/** A JSON Patch body that is wrong in some way: bad ops or pointers, or not an array of operations at all. */
export function patchBody(rng: Rng, f: Fixture): JsonValue {
  return rng.weighted<() => JsonValue>([
    [() => Array.from({ length: rng.int(1, 3) }, () => operation(rng, f)), 12],
    [() => operation(rng, f), 1],
    [() => [], 1],
    [() => [null], 1],
    [() => [[]], 1],
    [() => rng.pick(['x', 1, null, true, {}]), 1],
    [() => Array.from({ length: 500 }, () => ({ op: 'test', path: '/name', value: 'x' })), 0.3],
    [() => [{ op: 'move', from: '/description', path: '/description/x' }], 1],
    [() => [{ op: 'copy', from: '/allOf', path: '/allOf/-' }], 1],
    [() => [{ op: 'add', path: '/-', value: 1 }, { op: 'remove', path: '/-' }], 1],
  ])();
}
