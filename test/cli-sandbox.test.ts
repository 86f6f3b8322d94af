import { execFile, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createFlowFrom } from './support/file-flow.js';
import { crmFlowSpec, flowservice, paypalSpec } from './support/payment-sources.js';
import { serveEnvironment, startServe, tributaryBin as bin, type ServeProcess } from './support/serve-process.js';
import { at, str, type ApiResponse } from './support/test-api.js';

const backends = await availableBackends();
const execute = promisify(execFile);

/** A `tributary sandbox` started as a person would, read until it says it is ready. */
interface SandboxProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then the exit code once it has exited. */
  stop(): Promise<number | null>;
}

async function startSandboxProcess(args: string[], ready: RegExp): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [bin, 'sandbox', ...args]);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`sandbox exited (${code}) before it was ready: ${output}`)));
  });
  return {
    child,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** One provider's block of the text output: its header, its `name  value` fields and the curl's body. */
interface PrintedSandbox {
  header: string;
  fields: Record<string, string>;
  body: unknown;
}

function printedSandbox(output: string, provider: string): PrintedSandbox {
  const block = output.split('\n\n').find((text) => text.startsWith(`${provider} sandbox at `));
  if (!block) throw new Error(`no ${provider} block in: ${output}`);
  const fields = Object.fromEntries([...block.matchAll(/^ {2}(\w+) {2,}(\S.*)$/gm)].map((match) => [match[1], match[2]]));
  const body = /-d '(.*)'$/m.exec(block)?.[1];
  if (!body) throw new Error(`no curl body in: ${block}`);
  // The shell's way of writing a quote inside single quotes, undone.
  return { header: block.split('\n')[0] as string, fields, body: JSON.parse(body.replaceAll(`'\\''`, "'")) };
}

interface JsonSandbox {
  provider: string;
  url: string;
  contents: Record<string, number>;
  auth: { specName: string; params: Record<string, string> };
  connectionBody: unknown;
}

async function stripeCharges(host: string, key: string, query = ''): Promise<{ status: number; body: { data?: { id: string }[]; has_more?: boolean } }> {
  const response = await fetch(`${host}/v1/charges?limit=100${query}`, { headers: key === '' ? {} : { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as { data?: { id: string }[]; has_more?: boolean } };
}

let stripeText: SandboxProcess;
let allJson: SandboxProcess;
let stripe: PrintedSandbox;
let sandboxes: JsonSandbox[];

beforeAll(async () => {
  stripeText = await startSandboxProcess(['stripe'], /Running until Ctrl-C\.\n/);
  stripe = printedSandbox(stripeText.output(), 'Stripe');
  // Fewer records: the tutorial's flow reads each PayPal product's detail, at PayPal's 10 requests a second.
  allJson = await startSandboxProcess(['all', '--json', '--records', '40'], /^\{.*\}\n/);
  sandboxes = (JSON.parse(allJson.output().split('\n')[0] as string) as { sandboxes: JsonSandbox[] }).sandboxes;
}, 60_000);
afterAll(async () => {
  await stripeText?.stop();
  await allJson?.stop();
});

describe('tributary sandbox', () => {
  it('stripe: prints the host, a key and a connection body that answer with the account it describes', async () => {
    const [, url, charges] = /^Stripe sandbox at (http:\/\/127\.0\.0\.1:\d+) \(seed 1\): .*\b(\d+) charges\b/.exec(stripe.header) ?? [];
    expect(url, stripe.header).toBeDefined();
    expect(stripe.fields).toMatchObject({ connectionSpec: 'cc2c31d6-7b8c-4581-b49f-5c8698aa3ab3 (version 1.0)', specName: 'OAuth2 Refresh Code', host: url });
    const key = stripe.fields.accessToken ?? '';
    expect(key).toMatch(/^sk_test_51[A-Za-z0-9]{97}$/);
    expect(stripe.body).toEqual({
      name: 'Stripe sandbox',
      auth: { specName: 'OAuth2 Refresh Code', params: { host: url, accessToken: key } },
      connectionSpec: { id: 'cc2c31d6-7b8c-4581-b49f-5c8698aa3ab3', version: '1.0' },
    });

    // Every charge the header counts, paged as Stripe pages them, and none without the key.
    const ids: string[] = [];
    for (let page = await stripeCharges(url as string, key); ; page = await stripeCharges(url as string, key, `&starting_after=${ids.at(-1)}`)) {
      expect(page.status).toBe(200);
      ids.push(...(page.body.data ?? []).map((charge) => charge.id));
      if (!page.body.has_more) break;
    }
    expect(new Set(ids).size).toBe(Number(charges));
    expect(Number(charges)).toBe(300);
    expect((await stripeCharges(url as string, '')).status).toBe(401);
    expect((await stripeCharges(url as string, 'sk_test_51wrong')).status).toBe(401);
  });

  it('all --json: one line with the three providers; the same seed gives the same keys', async () => {
    expect(sandboxes.map((sandbox) => sandbox.provider)).toEqual(['paypal', 'stripe', 'square']);
    const [paypal, stripeAgain, square] = sandboxes as [JsonSandbox, JsonSandbox, JsonSandbox];
    expect(stripeAgain.url).not.toBe(stripe.fields.host);
    expect(stripeAgain.auth.params.accessToken).toBe(stripe.fields.accessToken);
    const charges = await stripeCharges(stripeAgain.url, stripeAgain.auth.params.accessToken as string);
    expect(charges.body.data).toHaveLength(40);
    expect(stripeAgain.contents.charges).toBe(40);

    // PayPal: its OAuth token from the printed client id and secret, then the catalog the output counts.
    expect(paypal.auth).toEqual({ specName: 'Client-Id-Secret Based Authentication', params: { host: paypal.url, clientId: expect.stringMatching(/^A[\w-]{79}$/), clientSecret: expect.stringMatching(/^E[\w-]{79}$/) } });
    const basic = Buffer.from(`${paypal.auth.params.clientId}:${paypal.auth.params.clientSecret}`).toString('base64');
    const token = await fetch(`${paypal.url}/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(token.status).toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const products = await fetch(`${paypal.url}/v1/catalogs/products?page_size=20&total_required=true`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(products.status).toBe(200);
    const catalog = (await products.json()) as { total_items: number; products: unknown[] };
    expect(catalog.products).toHaveLength(20);
    expect(catalog.total_items).toBe(paypal.contents.products);
    expect(paypal.contents.products).toBe(40);

    // Square: the printed access token reads the payments.
    expect(Object.keys(square.auth.params)).toEqual(['host', 'clientId', 'clientSecret', 'accessToken', 'refreshToken']);
    const payments = await fetch(`${square.url}/v2/locations`, { headers: { authorization: `Bearer ${square.auth.params.accessToken}` } });
    expect(payments.status).toBe(200);
    expect(((await payments.json()) as { locations: unknown[] }).locations).toHaveLength(square.contents.locations as number);
  });

  it('refuses a port that is taken, naming it', async () => {
    const holder = http.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const failed = await execute(process.execPath, [bin, 'sandbox', 'square', '--port', String(port)]).then(
        () => null,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toContain(`port ${port} is taken (square); choose another --port`);
    } finally {
      holder.close();
    }
  });
});

/**
 * The printed connection bodies, posted as the README tells a person to, make connections that pass the
 * connection test; the PayPal one feeds the tutorial's flow, which lands the whole printed catalog.
 */
describe.each(backends)('connections from tributary sandbox, on $name', (backend) => {
  const { dataDir, env, dispose } = serveEnvironment(backend, 'sandbox');
  let server: ServeProcess;
  let request: (method: string, url: string, options?: { body?: unknown }) => Promise<ApiResponse>;

  beforeAll(async () => {
    server = await startServe(dataDir, env);
    const header = (name: string) => new RegExp(`-H '${name}: ([^']+)'`).exec(server.output())?.[1] ?? '';
    const gateway = { authorization: header('Authorization'), 'x-api-key': header('x-api-key'), 'x-gw-ims-org-id': header('x-gw-ims-org-id') };
    request = async (method, url, options = {}) => {
      const headers = { ...gateway, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) };
      const response = await fetch(`${server.baseUrl}${url}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
    };
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dispose();
  });

  const connect = async (body: unknown): Promise<string> => {
    const created = await request('POST', `${flowservice}/connections`, { body });
    expect(created.status, created.text).toBe(201);
    return str(created.json, 'id');
  };

  it('the printed bodies pass GET /connections/{id}/test', async () => {
    const stripeConnection = await connect(stripe.body);
    expect((await request('GET', `${flowservice}/connections/${stripeConnection}/test`)).json).toEqual({ status: 'ok', message: 'connected to Stripe' });
    for (const sandbox of sandboxes) {
      const name = { paypal: 'PayPal', stripe: 'Stripe', square: 'Square' }[sandbox.provider];
      const tested = await request('GET', `${flowservice}/connections/${await connect(sandbox.connectionBody)}/test`);
      expect(tested.json, sandbox.provider).toEqual({ status: 'ok', message: `connected to ${name}` });
    }
  });

  it("the tutorial's PayPal flow lands every catalog product the sandbox printed", { timeout: 60_000 }, async () => {
    const paypal = sandboxes.find((sandbox) => sandbox.provider === 'paypal') as JsonSandbox;
    const source = await request('POST', `${flowservice}/sourceConnections`, {
      body: { name: 'PayPal source connection', baseConnectionId: await connect(paypal.connectionBody), data: { format: 'tabular' }, params: { path: 'PayPal.Catalog_Products' }, connectionSpec: { id: paypalSpec, version: '1.0' } },
    });
    expect(source.status, source.text).toBe(201);
    const tenantId = str((await request('GET', '/data/foundation/schemaregistry/stats')).json, 'tenantId');
    const { flowId } = await createFlowFrom({ request, tenantId }, str(source.json, 'id'), { title: 'sandbox products', flowSpecId: crmFlowSpec });
    const cli = await execute(process.execPath, [bin, 'run', flowId, '--wait', '--json', '--data-dir', dataDir], { env });
    const run = JSON.parse(cli.stdout) as unknown;
    expect(at(run, 'metrics.statusSummary.status'), cli.stdout).toBe('success');
    expect(at(run, 'metrics.recordSummary.outputRecordCount')).toBe(paypal.contents.products);
  });
});

describe('stopping tributary sandbox', () => {
  it('SIGTERM closes the stand-ins and exits 0', async () => {
    const host = stripe.fields.host as string;
    expect(await stripeText.stop()).toBe(0);
    expect(stripeText.output()).toMatch(/Stand-ins stopped\.\n$/);
    await expect(fetch(`${host}/v1/charges`)).rejects.toThrow();
    expect(await allJson.stop()).toBe(0);
    expect(allJson.output()).toContain('Stand-ins stopped.\n');
  });
});
