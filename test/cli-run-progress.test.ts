import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createFlowFrom } from './support/file-flow.js';
import { flowservice, restFlowSpec, stripeSpec } from './support/payment-sources.js';
import { serveEnvironment, startServe, tributaryBin as bin, type ServeProcess } from './support/serve-process.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { DEFAULT_STRIPE_KEY, startStripeStandIn, type StripeStandIn } from '../src/standins/stripe/index.js';
import { str, type ApiResponse } from './support/test-api.js';

const backends = await availableBackends();
const execute = promisify(execFile);
const hour = 3_600_000;
const charges = 450;

/** Every control character but the newline: a log of the progress must hold none. */
const controlCharacters = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/** The stage labels of the progress lines, in the order a run passes them. */
const labels = ['starting', 'reading the source', 'reading the columns', 'mapping and writing', 'committing', 'success'];

/**
 * `tributary run --wait` against a `tributary serve` reading a Stripe stand-in that answers slowly (so the run
 * spends a while reading the source): without a terminal it prints a plain line per stage, on a terminal it
 * redraws one line, and with --json stdout holds only the finished run.
 */
describe.each(backends)('tributary run --wait shows the run as it goes, on $name', (backend) => {
  const { dataDir, env, dispose } = serveEnvironment(backend, 'progress');
  let server: ServeProcess;
  let stripe: StripeStandIn;
  let flowId: string;

  beforeAll(async () => {
    const clock = new StandInClock(Date.now());
    // Every answer takes 200 ms: the source is read over several of the CLI's looks at the run.
    stripe = await startStripeStandIn({ clock, seed: 41, faults: { rate: 1, kinds: ['slow'], slowMs: 200 } });
    for (let i = 0; i < charges; i += 1) stripe.account.createCharge({ amount: 100 + i, currency: 'usd' }, { at: Math.floor((clock.now() - (i + 2) * hour) / 1000) });
    server = await startServe(dataDir, env);
    const gateway = {
      authorization: /-H 'Authorization: ([^']+)'/.exec(server.output())?.[1] ?? '',
      'x-api-key': /-H 'x-api-key: ([^']+)'/.exec(server.output())?.[1] ?? '',
      'x-gw-ims-org-id': /-H 'x-gw-ims-org-id: ([^']+)'/.exec(server.output())?.[1] ?? '',
    };
    const request = async (method: string, url: string, options: { body?: unknown; headers?: Record<string, string | undefined> } = {}): Promise<ApiResponse> => {
      const headers: Record<string, string> = { ...gateway, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) };
      for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name] = value;
      const response = await fetch(`${server.baseUrl}${url}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
    };
    const tenantId = str((await request('GET', '/data/foundation/schemaregistry/stats')).json, 'tenantId');
    const api = { request, tenantId };
    const connection = await request('POST', `${flowservice}/connections`, { body: { name: 'Stripe', auth: { specName: 'OAuth2 Refresh Code', params: { host: stripe.url, accessToken: DEFAULT_STRIPE_KEY } }, connectionSpec: { id: stripeSpec, version: '1.0' } } });
    const source = await request('POST', `${flowservice}/sourceConnections`, { body: { name: 'charges', baseConnectionId: str(connection.json, 'id'), data: { format: 'json' }, params: { resourcePath: 'charges' }, connectionSpec: { id: stripeSpec, version: '1.0' } } });
    ({ flowId } = await createFlowFrom(api, str(source.json, 'id'), { title: 'progress', flowSpecId: restFlowSpec, columns: { id: 'Id', name: 'Status', description: 'Description', type: 'Currency' } }));
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await stripe?.close();
    await dispose();
  });

  it('without a terminal: a plain line each time the stage changes, the last one with what the run read and wrote', { timeout: 60_000 }, async () => {
    const cli = await execute(process.execPath, [bin, 'run', flowId, '--wait', '--data-dir', dataDir], { env });
    expect(cli.stdout).toMatch(/^run \S+ started\nrun \S+ success\n$/);
    expect(cli.stderr).not.toMatch(controlCharacters);
    const lines = cli.stderr.trimEnd().split('\n');
    const stages = lines.map((line) => line.split(/[:[]/)[0]?.trim() ?? '');
    // One line per change, in the order a run goes: no stage twice, none out of order.
    const positions = stages.map((stage) => labels.indexOf(stage));
    expect(positions.every((p) => p >= 0), cli.stderr).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(positions.length);
    // The source is read over several looks at the run: that stage has its line.
    expect(stages).toContain('reading the source');
    expect(lines.at(-1)).toMatch(new RegExp(`^success: ${charges} records read, ${charges} written, 0 rejected, [\\d.]+ MB, \\d+ s$`));
  });

  it('with --json: stdout holds only the finished run as the runs API answers it, the progress stays on stderr', { timeout: 60_000 }, async () => {
    const cli = await execute(process.execPath, [bin, 'run', flowId, '--wait', '--json', '--data-dir', dataDir], { env });
    const run = JSON.parse(cli.stdout) as unknown;
    expect(run).toMatchObject({ flowId, metrics: { statusSummary: { status: 'success' }, recordSummary: { outputRecordCount: 0 } } });
    expect(cli.stdout.trim().split('\n')).toHaveLength(1);
    expect(cli.stderr.trimEnd().split('\n').at(-1)).toMatch(/^success: 0 records read, 0 written, 0 rejected/);
  });

  it('on a terminal: redraws one line, with a bar and the percentage once the stage knows how far it has got', { timeout: 60_000 }, async () => {
    // The stages of a run, as the runs API shows them, one per look: a stand-in for the server answers them in
    // turn, so that a stage with a known share (which a real run shows only when it writes for a while) is seen.
    const finished = await execute(process.execPath, [bin, 'run', flowId, '--wait', '--json', '--data-dir', dataDir], { env });
    const done = JSON.parse(finished.stdout) as RunShape;
    const copy = (change: (run: RunShape) => void): RunShape => {
      const run = structuredClone(done);
      change(run);
      return run;
    };
    const inProgress = (run: RunShape, stage: string, percent?: number) => {
      run.metrics.statusSummary = { status: 'inProgress', errors: [], extensions: { stage, ...(percent === undefined ? {} : { percent }) } };
      run.metrics.recordSummary = { inputRecordCount: 0, outputRecordCount: 0, failedRecordCount: 0, skippedRecordCount: 0 };
    };
    const script = [
      copy((run) => {
        inProgress(run, 'extracting');
        const copyActivity = run.activities[0] as { statusSummary: Record<string, unknown> };
        copyActivity.statusSummary = { status: 'inProgress', extensions: { streams: [{ stream: 'Charges', requests: 3, pages: 2, retries: 0, rateLimited: 0, records: 120, bytes: 4096 }] } };
      }),
      copy((run) => {
        inProgress(run, 'writing', 40);
        run.metrics.recordSummary.inputRecordCount = 450;
      }),
      copy((run) => {
        run.metrics.recordSummary = { inputRecordCount: 450, outputRecordCount: 450, failedRecordCount: 0, skippedRecordCount: 0 };
      }),
    ];
    const answered = await answering(script);
    try {
      const command = [process.execPath, bin, 'run', flowId, '--wait', '--url', answered.url, '--data-dir', dataDir].map(shellQuoted).join(' ');
      // `script` runs the command on a pseudo-terminal, as a person's shell would.
      const terminal = await execute('script', ['-qec', command, '/dev/null'], { env });
      const output = terminal.stdout.replaceAll('\r\n', '\n');
      expect(output).toContain('run r-1 started\n');
      // Each look redraws the line in place: back to its start, the line, then the rest of the old one erased.
      const drawn = output.slice(output.indexOf('started\n') + 'started\n'.length, output.indexOf('\nrun r-1 success')).split('\r').filter(Boolean);
      expect(drawn.map((line) => line.endsWith('\u001b[K'))).toEqual([true, true, true]);
      expect(drawn[0]).toMatch(/^reading the source: 120 records read, 0 written, 0 rejected/);
      expect(drawn[1]).toMatch(/^mapping and writing \[={10}> {13}\]  40%: 450 records read, 0 written, 0 rejected/);
      expect(drawn[2]).toMatch(/^success: 450 records read, 450 written, 0 rejected/);
      expect(output.trimEnd().endsWith('run r-1 success')).toBe(true);
    } finally {
      await answered.close();
    }
  });
});

/** The parts of a run record the terminal test changes. */
interface RunShape {
  metrics: {
    recordSummary: { inputRecordCount: number; outputRecordCount: number; failedRecordCount: number; skippedRecordCount: number };
    statusSummary: Record<string, unknown>;
  };
  activities: unknown[];
}

/** A stand-in for the runs API: `POST /runs` starts run r-1, each `GET /runs/r-1` answers the next record of the script. */
async function answering(script: unknown[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const body = request.method === 'POST' ? { id: 'r-1', etag: '"1"' } : { items: [script[Math.min(next++, script.length - 1)]] };
      response.writeHead(request.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function shellQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
