import http from 'node:http';

/** A GET a load sends, named for the table. */
export interface LoadTarget {
  name: string;
  path: string;
}

export interface LoadOptions {
  /** Requests in flight at once, each on its own kept-alive connection. */
  connections: number;
  /** Stop after this many requests in all. */
  requests: number;
  /** Stop early when this says so (checked before each request). */
  stop?: () => boolean;
  /** Stop after this long whatever else: a load never runs unbounded. */
  maxMs: number;
}

/**
 * `connections` loops, each sending the targets' GETs in turn on its own kept-alive connection, timing each from
 * the request to the last byte of its answer. Plain `node:http` rather than fetch: the load shares the machine's
 * two cores with the server, and a lighter client leaves more of them to what is measured. Any answer but 200
 * fails the load. Returns the latencies (ms) by target name, and each sample's start (ms since the load began).
 */
export async function runLoad(base: string, headers: Record<string, string>, targets: readonly LoadTarget[], options: LoadOptions): Promise<Map<string, { ms: number; at: number }[]>> {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const samples = new Map<string, { ms: number; at: number }[]>(targets.map((t) => [t.name, []]));
  const began = performance.now();
  let sent = 0;
  const get = (target: LoadTarget) =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const request = http.get({ host: url.hostname, port: url.port, path: target.path, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) {
            reject(new Error(`GET ${target.path} answered ${String(response.statusCode)}: ${Buffer.concat(chunks).toString().slice(0, 500)}`));
            return;
          }
          samples.get(target.name)?.push({ ms: performance.now() - started, at: started - began });
          resolve();
        });
        response.on('error', reject);
      });
      request.on('error', reject);
    });
  const loop = async () => {
    while (sent < options.requests && performance.now() - began < options.maxMs && !(options.stop?.() ?? false)) {
      const target = targets[sent % targets.length] as LoadTarget;
      sent += 1;
      await get(target);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, loop));
  } finally {
    agent.destroy();
  }
  return samples;
}

/** The q-quantile (0–1) of `values`, nearest rank. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
