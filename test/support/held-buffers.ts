/**
 * How far the buffers JavaScript holds grew while `work` ran, sampled every 500 ms and once at its end, each after a
 * collection, so garbage the collector has not yet reclaimed does not count (DuckDB's memory is native, bounded by its
 * own settings, and not counted). A source that streams keeps a few chunks at a time; one that holds a file whole adds its size.
 *
 * @example
 * const { result: run, growth } = await heldBufferGrowth(() => runNow(api, flowId));
 * expect(growth).toBeLessThan(size / 2);
 */
export async function heldBufferGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('the tests run with --expose-gc (vitest.config.ts)');
  let low = Infinity;
  let high = 0;
  const sample = () => {
    collect();
    const held = process.memoryUsage().arrayBuffers;
    low = Math.min(low, held);
    high = Math.max(high, held);
  };
  sample();
  // A full collection takes long on a busy machine: sampled more often, it slows the read it measures.
  const sampler = setInterval(sample, 500);
  try {
    const result = await work();
    sample();
    return { result, growth: high - low };
  } finally {
    clearInterval(sampler);
  }
}
