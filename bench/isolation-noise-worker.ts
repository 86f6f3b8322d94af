/**
 * The noisy neighbour of the isolation benchmark, in its own thread so its loops never share an event loop with the
 * latency being measured: one org's endless queries, each sent again as soon as it ends (a timeout, a 429 at the
 * query cap), and connections posting wrong credentials to the token endpoint without pause. Posts its tallies
 * when told to stop.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface NoiseOptions {
  base: string;
  /** Org A's gateway headers, for the queries. */
  headers: Record<string, string>;
  /** Org A's client id: half the token posts use it with a wrong secret, half an unknown client id. */
  clientId: string;
  queries: number;
  tokenConnections: number;
}

export interface NoiseTally {
  /** Answers by status code, per kind of noise. */
  queries: Record<string, number>;
  tokens: Record<string, number>;
}

const options = workerData as NoiseOptions;
const tally: NoiseTally = { queries: {}, tokens: {} };
let stopping = false;
// One kept-alive socket per loop: 200 connections, as 200 clients would open.
const agent = new http.Agent({ keepAlive: true, maxSockets: options.tokenConnections + options.queries });

/** POSTs a body and resolves with the status once the answer is read whole. */
function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });
    request.once('error', reject);
    request.end(body);
  });
}

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

async function endlessQueries(): Promise<void> {
  while (!stopping) {
    try {
      const status = await post(`${options.base}/data/foundation/query/queries`, options.headers, JSON.stringify({ dbName: 'prod:all', sql: 'SELECT count(*) FROM range(1000000000000)' }));
      count(tally.queries, String(status));
      // A refused query is sent again a moment later, sooner than its Retry-After: a client that does not listen.
      if (status === 429) await new Promise((resolve) => setTimeout(resolve, 100));
    } catch (error) {
      count(tally.queries, error instanceof Error ? error.name : 'error');
    }
  }
}

async function wrongCredentials(index: number): Promise<void> {
  const clientId = index % 2 === 0 ? options.clientId : `unknown-client-${index}`;
  while (!stopping) {
    try {
      const status = await post(`${options.base}/ims/token/v3`, { 'content-type': 'application/x-www-form-urlencoded' }, `grant_type=client_credentials&client_id=${encodeURIComponent(clientId)}&client_secret=wrong-${index}`);
      count(tally.tokens, String(status));
    } catch (error) {
      count(tally.tokens, error instanceof Error ? error.name : 'error');
    }
  }
}

const loops = [
  ...Array.from({ length: options.queries }, () => endlessQueries()),
  ...Array.from({ length: options.tokenConnections }, (_, i) => wrongCredentials(i)),
];
parentPort?.postMessage({ started: true });
parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  stopping = true;
  // A query in flight ends at its timeout; the tally is what was answered until now.
  parentPort?.postMessage({ tally });
  void Promise.race([Promise.allSettled(loops), new Promise((resolve) => setTimeout(resolve, 1000))]).then(() => process.exit(0));
});
