import { deriveSeed } from '../seeded-rng.js';

/**
 * Ids derived from row numbers, so a million generated records need no stored id strings: a keyed 32-bit
 * Feistel permutation scrambles the row (ids look random and never collide), and the same permutation run
 * backwards turns an id from a request into its row again.
 */
export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const UPPER36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface IdShape {
  /** Total id length, prefix included. */
  length: number;
  alphabet: string;
  prefix?: string;
}

export class IdCodec {
  private readonly keys: readonly number[];
  private readonly codeLength: number;
  private readonly prefix: string;

  constructor(
    seed: number,
    label: string,
    private readonly shape: IdShape,
  ) {
    const base = deriveSeed(seed, label);
    this.keys = [1, 2, 3, 4].map((round) => deriveSeed(base, `round-${round}`));
    this.codeLength = Math.ceil(32 / Math.log2(shape.alphabet.length));
    this.prefix = shape.prefix ?? '';
    if (this.prefix.length + this.codeLength > shape.length) throw new Error(`id shape for ${label} is too short`);
  }

  encode(row: number): string {
    const { alphabet, length } = this.shape;
    let code = '';
    let value = this.permute(row);
    for (let i = 0; i < this.codeLength; i += 1) {
      code = alphabet[value % alphabet.length] + code;
      value = Math.floor(value / alphabet.length);
    }
    return this.prefix + this.filler(row, length - this.prefix.length - this.codeLength) + code;
  }

  /** The row an id names, or null when the id was not made by this codec. */
  decode(id: string): number | null {
    const { alphabet, length } = this.shape;
    if (id.length !== length || !id.startsWith(this.prefix)) return null;
    let value = 0;
    for (const char of id.slice(length - this.codeLength)) {
      const digit = alphabet.indexOf(char);
      if (digit < 0) return null;
      value = value * alphabet.length + digit;
    }
    if (value > 0xffffffff) return null;
    const row = this.unpermute(value);
    return this.encode(row) === id ? row : null;
  }

  private round(half: number, key: number): number {
    return (Math.imul(half ^ key, 0x45d9f3b) >>> 13) & 0xffff;
  }

  private permute(row: number): number {
    let left = row >>> 16;
    let right = row & 0xffff;
    for (const key of this.keys) [left, right] = [right, left ^ this.round(right, key)];
    return ((left << 16) | right) >>> 0;
  }

  private unpermute(value: number): number {
    let left = value >>> 16;
    let right = value & 0xffff;
    for (let i = this.keys.length - 1; i >= 0; i -= 1) [left, right] = [right ^ this.round(left, this.keys[i] as number), left];
    return ((left << 16) | right) >>> 0;
  }

  /** Filler characters that vary per row, so ids do not share a long common head. */
  private filler(row: number, count: number): string {
    const { alphabet } = this.shape;
    let hash = Math.imul(row ^ (this.keys[0] as number), 0x9e3779b1);
    let out = '';
    for (let i = 0; i < count; i += 1) {
      hash ^= hash >>> 13;
      hash = Math.imul(hash, 0x5bd1e995);
      hash ^= hash >>> 15;
      out += alphabet[(hash >>> 0) % alphabet.length];
    }
    return out;
  }
}
