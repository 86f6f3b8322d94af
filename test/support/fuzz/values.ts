import type { Rng } from './prng.js';

/** JSON values as the fuzzer builds them (no `any`: bodies are walked and rewritten generically). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonPath = (string | number)[];

export const hugeString = (rng: Rng): string => (rng.chance(0.5) ? 'x' : rng.pick(['é', '中', '😀', '\u0000', 'a"\\'])).repeat(100_000);

/** Characters that break naive code: NUL, lone surrogates, RTL override, BOM, line separators, case folding. */
export const unicodeStrings = [
  'é中文😀', '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '\u202eevil', '\ufeffbom', '\u2028\u2029', '\n\r\t', '"quoted"\\',
  '<script>alert(1)</script>', "'; DROP TABLE resources; --", '%s%n%x', '${process.env}', '../../etc/passwd', 'İstanbul', 'ǅ',
  'e\u0301\u0301\u0301', '\u00a0', ' ', '', 'null', 'undefined', '__proto__', 'constructor', 'toString', '0', '-1', '1e309', 'true',
];

/** Keys a server may treat specially: prototype names, system fields, empty and odd ones. */
export const specialKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', 'x-unknown', 'meta:unknown', '$id', 'id', '@id', 'etag', 'state', 'version', 'meta:altId', 'imsOrg', 'auth', '\u0000', 'é中'];

export function deepValue(depth: number, rng: Rng): JsonValue {
  const asArray = rng.chance(0.5);
  let value: JsonValue = asArray ? [] : {};
  for (let i = 0; i < depth; i += 1) value = asArray ? [value] : { a: value };
  return value;
}

/** A value of a different JSON type than `current`. */
export function wrongType(current: JsonValue | undefined, rng: Rng): JsonValue {
  const candidates: [string, () => JsonValue][] = [
    ['number', () => rng.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 123456789])],
    ['string', () => rng.pick(['', 'x', '123', 'true', 'null', '{}', '[]'])],
    ['array', () => rng.pick<JsonValue>([[], [1], ['x', null], [{}], [[[]]]])],
    // `{"toString": 1}`: String() and template literals throw on it, so code that echoes input in messages breaks.
    ['object', () => rng.pick<JsonValue>([{}, { a: 1 }, { id: 'x' }, { $ref: 'https://ns.adobe.com/xdm/context/profile' }, { toString: 1 }, { valueOf: 'x', toString: [] }])],
    ['boolean', () => rng.chance(0.5)],
  ];
  const typeOf = (v: JsonValue | undefined) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  const [, make] = rng.pick(candidates.filter(([type]) => type !== typeOf(current)));
  return make();
}

/** Any value at all, for random roots, patch values and query-string-shaped JSON. */
export function randomValue(rng: Rng, ids: string[]): JsonValue {
  return rng.weighted<() => JsonValue>([
    [() => null, 2],
    [() => wrongType(undefined, rng), 6],
    [() => rng.pick(unicodeStrings), 3],
    [() => deepValue(rng.pick([3, 200]), rng), 1],
    [() => hugeString(rng), 1],
    [() => (ids.length > 0 ? rng.pick(ids) : 'x'), 2],
    [() => ({ [rng.pick(specialKeys)]: rng.pick(unicodeStrings) }), 1],
  ])();
}

/** Every path into a value (root first), capped so huge bodies stay cheap. */
export function pathsOf(value: JsonValue, limit = 300): JsonPath[] {
  const out: JsonPath[] = [];
  const walk = (node: JsonValue, path: JsonPath) => {
    if (out.length >= limit) return;
    out.push(path);
    if (Array.isArray(node)) node.forEach((child, i) => walk(child, [...path, i]));
    else if (node !== null && typeof node === 'object') for (const [k, child] of Object.entries(node)) walk(child, [...path, k]);
  };
  walk(value, []);
  return out;
}

export function getAt(root: JsonValue, path: JsonPath): JsonValue | undefined {
  let node: JsonValue | undefined = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(key)] : node[String(key)];
  }
  return node;
}

/**
 * Returns a copy of `root` with the value at `path` replaced (or removed when `value` is undefined).
 * Keys are defined, not assigned: assigning `__proto__` would set a prototype instead of sending the key.
 */
export function withAt(root: JsonValue, path: JsonPath, value: JsonValue | undefined): JsonValue | undefined {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    const child = withAt(copy[Number(head)] ?? null, rest, value);
    if (child === undefined) copy.splice(Number(head), 1);
    else copy[Number(head)] = child;
    return copy;
  }
  if (root === null || typeof root !== 'object') return root;
  const copy: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(root)) Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  const child = withAt(root[String(head)] ?? null, rest, value);
  if (child === undefined) delete copy[String(head)];
  else Object.defineProperty(copy, String(head), { value: child, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Adds a key to an object without triggering the `__proto__` setter. */
export function withKey(target: { [key: string]: JsonValue }, key: string, value: JsonValue): { [key: string]: JsonValue } {
  const copy = { ...target };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Garbage for any query parameter or header-free string slot. */
export const garbageStrings = ['', ' ', 'abc', '-1', '0', '1.5', '1e3', '99999999999999999999', 'NaN', 'null', 'true', '[]', '{}', '"', "'", '==', '%', '%zz', '%ff', '%00', 'é中😀', 'x'.repeat(4000)];
