import { hashOf } from './hash.js';

/**
 * Transaction ids for generated records without storing them: 17 characters (PayPal's length for a
 * transaction id) in a 32-letter upper-case alphabet. The first 8 characters are the record index put
 * through a keyed Feistel permutation (so ids look random but decode back to the index), the last 9 a keyed
 * check value (so an id of another seed, or a typo, does not decode to a record).
 */

const ALPHABET = '0123456789ABCDEFGHJKLMNPRSTUVWXY';
const HALF_BITS = 20;
const HALF = 2 ** HALF_BITS;
const ROUNDS = 4;

export const TRANSACTION_ID_LENGTH = 17;
export const MAX_GENERATED_INDEX = HALF * HALF - 1;

export class TransactionIdCodec {
  constructor(private readonly seed: number) {}

  encode(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index > MAX_GENERATED_INDEX) throw new Error(`transaction index out of range: ${index}`);
    return encodeBase32(this.permute(index), 8) + this.check(index);
  }

  /** The record index an id encodes, or null when it is not one of this codec's ids. */
  decode(id: string): number | null {
    if (id.length !== TRANSACTION_ID_LENGTH) return null;
    const permuted = decodeBase32(id.slice(0, 8));
    if (permuted === null) return null;
    const index = this.unpermute(permuted);
    return this.check(index) === id.slice(8) ? index : null;
  }

  private round(half: number, round: number): number {
    return hashOf(this.seed, half, round, 0x51d) % HALF;
  }

  private permute(value: number): number {
    let left = Math.floor(value / HALF);
    let right = value % HALF;
    for (let r = 0; r < ROUNDS; r += 1) {
      const next = (left ^ this.round(right, r)) >>> 0;
      left = right;
      right = next;
    }
    return left * HALF + right;
  }

  private unpermute(value: number): number {
    let left = Math.floor(value / HALF);
    let right = value % HALF;
    for (let r = ROUNDS - 1; r >= 0; r -= 1) {
      const previous = (right ^ this.round(left, r)) >>> 0;
      right = left;
      left = previous;
    }
    return left * HALF + right;
  }

  private check(index: number): string {
    const a = hashOf(this.seed, index, 0xc4ec);
    const b = hashOf(this.seed, index, 0xc4ed) % 8192;
    return encodeBase32(a * 8192 + b, 9);
  }
}

function encodeBase32(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function decodeBase32(text: string): number | null {
  let value = 0;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return null;
    value = value * 32 + digit;
  }
  return value;
}
