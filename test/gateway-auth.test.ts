import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { startApi, str, type TestApi } from './support/test-api.js';

const specs = '/data/foundation/flowservice/flowSpecs';
const backends = await availableBackends();

describe.each(backends)('gateway checks on $name', (backend) => {
  let api: TestApi;
  let clock = Date.now();

  beforeAll(async () => {
    api = await startApi(backend, { now: () => clock });
  });
  afterAll(async () => api?.close());

  it.each([
    ['no Authorization', { authorization: undefined }, 401, '401013'],
    ['a token we did not sign', { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' }, 401, '401013'],
    ['a non-bearer Authorization', { authorization: 'Basic abc' }, 401, '401013'],
    ['no x-api-key', { 'x-api-key': undefined }, 403, '403000'],
    ['another client\'s x-api-key', { 'x-api-key': 'not-the-client' }, 403, '403003'],
    ['no x-gw-ims-org-id', { 'x-gw-ims-org-id': undefined }, 400, '400003'],
    ['another org in x-gw-ims-org-id', { 'x-gw-ims-org-id': 'OTHER@AdobeOrg' }, 403, '403010'],
  ])('answers %s in the gateway shape', async (_name, headers, status, code) => {
    const response = await api.request('GET', specs, { headers });
    expect(response.status).toBe(status);
    expect(response.json).toEqual({ error_code: code, message: expect.any(String) });
  });

  it('guards percent-encoded service paths too', async () => {
    for (const path of ['/%64ata/foundation/flowservice/connectionSpecs', '/data/%66oundation/flowservice/connections']) {
      const response = await api.request('GET', path, { headers: { authorization: undefined } });
      expect(response.status, path).toBe(401);
    }
  });

  it('refuses form-encoded bodies outside the token endpoint', async () => {
    const response = await api.request('POST', '/data/foundation/sandbox-management/sandboxes', {
      raw: 'name=x&title=t&type=development',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(400);
  });

  it('checks the token before looking at the body', async () => {
    const response = await api.request('POST', '/data/foundation/flowservice/flows', { raw: '{not json', headers: { authorization: undefined } });
    expect(response.status).toBe(401);
  });

  it('answers an unknown sandbox with 404 naming the header', async () => {
    const response = await api.request('GET', specs, { sandbox: 'nope' });
    expect(response.status).toBe(404);
    expect(str(response.json, 'type')).toMatch(/FLOW-2100-404$/);
    expect(response.json).toMatchObject({ report: { errors: [{ in: 'header', path: 'x-sandbox-name' }] } });
  });

  it('requires a JSON Content-Type on bodies', async () => {
    const response = await api.request('POST', '/data/foundation/flowservice/connections', {
      raw: '{"name":"x"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ status: 400, title: 'BadRequestError', detail: 'A valid content-type must be specified' });
  });

  it('exchanges client credentials for a token bound to the client and org', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: api.credentials.client_id, client_secret: api.credentials.client_secret, scope: 'openid' });
    const response = await fetch(`${api.baseUrl}/ims/token/v3`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 86_400 });
    const withNewToken = await api.request('GET', specs, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(withNewToken.status).toBe(200);
  });

  it('refuses a wrong client secret and an unsupported grant', async () => {
    const bad = new URLSearchParams({ grant_type: 'client_credentials', client_id: api.credentials.client_id, client_secret: 'wrong' });
    expect((await fetch(`${api.baseUrl}/ims/token/v3`, { method: 'POST', body: bad })).status).toBe(401);
    const grant = new URLSearchParams({ grant_type: 'password', client_id: api.credentials.client_id, client_secret: api.credentials.client_secret });
    const response = await fetch(`${api.baseUrl}/ims/token/v3`, { method: 'POST', body: grant });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('says in seconds, as IMS v3 does, how long the token lasts: it works until then and not after', async () => {
    const exchange = async () => {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: api.credentials.client_id, client_secret: api.credentials.client_secret });
      return (await (await fetch(`${api.baseUrl}/ims/token/v3`, { method: 'POST', body: form })).json()) as { access_token: string; expires_in: number };
    };
    const issuedAt = clock;
    const { access_token: token, expires_in: seconds } = await exchange();
    expect(api.credentials.expires_in).toBe(seconds);
    const withToken = () => api.request('GET', specs, { headers: { authorization: `Bearer ${token}` } });
    clock = issuedAt + (seconds - 1) * 1000;
    expect((await withToken()).status).toBe(200);
    clock = issuedAt + (seconds + 1) * 1000;
    expect((await withToken()).status).toBe(401);
    clock = Date.now();
  });

  it('stops accepting a token once it has expired', async () => {
    expect((await api.request('GET', specs)).status).toBe(200);
    clock += 24 * 3600 * 1000 + 1000;
    const response = await api.request('GET', specs);
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error_code: '401013' });
    clock = Date.now();
  });
});
