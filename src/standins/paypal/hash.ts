/**
 * Integer hashing for values derived from (seed, record index) on demand: generated records keep only a few
 * numbers each, and everything else (ids, payer, address, visibility lag) is recomputed from these hashes.
 */

/** A 32-bit avalanche mix (lowbias32 constants): neighbouring inputs give unrelated outputs. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Hash of a seed and up to a few integers (each taken modulo 2^32). */
export function hashOf(seed: number, ...parts: number[]): number {
  let h = mix32(seed ^ 0x9e3779b9);
  for (const part of parts) {
    h = mix32(h ^ mix32(part >>> 0) ^ Math.floor(part / 4294967296));
  }
  return h;
}

/** Hash of a string (FNV-1a, then mixed). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/** A float in [0, 1) from a 32-bit hash. */
export function unit(hash: number): number {
  return (hash >>> 0) / 4294967296;
}

/** Picks from a list by a hash. */
export function pickBy<T>(hash: number, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pickBy on an empty list');
  return items[(hash >>> 0) % items.length] as T;
}
