/** The fuzzer's seeded PRNG is the stand-ins' (a fuzz case replays from its printed seed). */
export { Rng, deriveSeed } from '../../../src/standins/seeded-rng.js';

/** FUZZ_SEED=<number> replays a run, FUZZ_SEED=random explores; unset means a fixed seed, so CI is stable. */
export function seedFromEnv(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (value === 'random') return Math.floor(Math.random() * 2 ** 32) >>> 0;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed >= 2 ** 32) throw new Error(`FUZZ_SEED must be an integer in [0, 2^32) or "random", got ${value}`);
  return parsed;
}
