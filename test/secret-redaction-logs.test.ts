import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { startApi, type TestApi } from './support/test-api.js';

const backends = await availableBackends();

describe.each(backends)('credentials kept out of the server log on $name', (backend) => {
  let api: TestApi;
  let log = '';

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (log += chunk.toString()));
    // The most talkative level: nothing at any level may carry a secret.
    api = await startApi(backend, { logger: { level: 'trace', stream } });
  });
  afterAll(async () => api?.close());

  const form = (path: string, body: string) => api.request('POST', path, { raw: body, auth: false, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('logs no secret from a token request, whatever the spelling of its field, in the form or the query string', async () => {
    const { client_id: clientId, client_secret: secret } = api.credentials;
    // The form decodes names: a percent-encoded client_secret is the real field, and the exchange succeeds.
    const encoded = await form('/ims/token/v3', `grant_type=client_credentials&client_id=${clientId}&client_secre%74=${secret}`);
    expect(encoded.status, encoded.text).toBe(200);
    const wrong = await form('/ims/token/v3', `grant_type=client_credentials&client_id=${clientId}&client_secret=FORM-WRONG-SECRET`);
    expect(wrong.status).toBe(401);
    const misspelt = await form('/ims/token/v3', `grant_type=client_credentials&client_id=${clientId}&client_secrte=FORM-MISSPELT-SECRET`);
    expect(misspelt.status).toBe(400);
    const inQuery = await form(`/ims/token/v3?grant_type=client_credentials&client_id=${clientId}&client_secre%74=${secret}`, '');
    expect(inQuery.status, inQuery.text).toBe(200);
    const misspeltQuery = await form(`/ims/%74oken/v3?client_secrte=QUERY-MISSPELT-SECRET`, '');
    // The router decodes the path: this is the token endpoint, and the misspelt field leaves the secret missing.
    expect(misspeltQuery.status).toBe(400);
    const tokenQuery = await form('/ims/token/v3?grant_type=client_credentials&client_id=x&clientSecret=QUERY-CAMEL-SECRET', '');
    expect(tokenQuery.status).toBe(400);
    await api.request('GET', '/data/foundation/flowservice/flows?Client-Secret=SERVICE-QUERY-SECRET&api%5Fkey=SERVICE-KEY-SECRET&limit=1');

    expect(log).toContain('/ims/token/v3');
    expect(log).toContain('[redacted]');
    expect(log).toContain('limit=1');
    for (const leaked of [secret, 'FORM-WRONG-SECRET', 'FORM-MISSPELT-SECRET', 'QUERY-MISSPELT-SECRET', 'QUERY-CAMEL-SECRET', 'SERVICE-QUERY-SECRET', 'SERVICE-KEY-SECRET']) {
      expect(log, leaked).not.toContain(leaked);
    }
    expect(api.contractViolations).toEqual([]);
  });
});
