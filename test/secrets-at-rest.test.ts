import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from './support/serve-process.js';
import { startPayPalStandIn, type PayPalStandIn } from '../src/standins/paypal/index.js';
import { str } from './support/test-api.js';

const flowservice = '/data/foundation/flowservice';
const paypalSpec = '221c7626-58f6-4eec-8ee2-042b0226f03b';

/** Reads every file under a folder as bytes: the metadata store, the lake, staging, logs. */
function everyFile(dir: string): Buffer[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(e.parentPath, e.name)));
}

describe('secrets of a connection', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-secrets-'));
  const wrongSecret = 'EWrongSecret-do-not-log-7c1f';
  let paypal: PayPalStandIn;
  let server: ServeProcess;
  let running = false;
  let headers: Record<string, string>;

  beforeAll(async () => {
    paypal = await startPayPalStandIn({ clientSecret: 'EStandInSecret-do-not-log-91ab' });
    server = await startServe(dataDir, { ...process.env, TRIBUTARY_LOG_LEVEL: 'debug', DATABASE_URL: '', TRIBUTARY_SECRET_KEY: '' });
    running = true;
    const header = (name: string) => new RegExp(`-H '${name}: ([^']+)'`, 'i').exec(server.output())?.[1] ?? '';
    headers = { authorization: header('Authorization'), 'x-api-key': header('x-api-key'), 'x-gw-ims-org-id': header('x-gw-ims-org-id'), 'x-sandbox-name': 'prod', 'content-type': 'application/json' };
  });
  afterAll(async () => {
    if (running) await server.stop();
    await paypal?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${server.baseUrl}${url}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, text: await response.text() };
  };
  const connect = async (clientSecret: string) =>
    str(JSON.parse((await call('POST', `${flowservice}/connections`, { name: 'PayPal', auth: { specName: 'Client-Id-Secret Based Authentication', params: { host: paypal.url, clientId: paypal.credentials.clientId, clientSecret } }, connectionSpec: { id: paypalSpec, version: '1.0' } })).text), 'id');

  it('never appear in answers, in the server\'s log or in any file it writes, nor do the tokens bought with them', async () => {
    paypal.account.addProduct({ id: 'PROD-S1', name: 'Secret keeper' });
    const good = await connect(paypal.credentials.clientSecret);
    const bad = await connect(wrongSecret);
    const answers = [
      await call('GET', `${flowservice}/connections/${good}`),
      await call('GET', `${flowservice}/connections/${good}/test`),
      await call('GET', `${flowservice}/connections/${good}/explore?objectType=table&object=PayPal.Catalog_Products&preview=true`),
      await call('GET', `${flowservice}/connections/${bad}/test`),
      await call('GET', `${flowservice}/connections/${bad}/explore?objectType=table&object=PayPal.Catalog_Products&preview=true`),
      await call('GET', `${flowservice}/connections?client_secret=${wrongSecret}`),
    ];
    expect(answers[2]?.text).toContain('Secret keeper');
    expect(answers[3]?.text).toContain('refused the client id and secret');
    // The token Tributary bought: PayPal hands the same one out while it is valid.
    const token = await fetch(`${paypal.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${paypal.credentials.clientId}:${paypal.credentials.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const accessToken = str(await token.json(), 'access_token');
    // Stopped first, so its log and its files are complete.
    await server.stop();
    running = false;
    const everywhere = [...answers.map((a) => a.text), server.output(), ...everyFile(dataDir).map((b) => b.toString('latin1'))];
    expect(server.output()).toContain('GET'); // the log is there, and has the requests in it
    for (const secret of [paypal.credentials.clientSecret, wrongSecret, accessToken]) {
      expect(everywhere.filter((text) => text.includes(secret)), secret).toEqual([]);
    }
  });
});
