import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { IssuedCredentials } from '../src/services/ims/credentials.js';
import { str } from './support/test-api.js';
import * as tutorial from './support/tutorial-requests.js';
import { startServe, tributaryBin as bin } from './support/serve-process.js';
import { fetchOverHttps } from './support/https-fetch.js';
import { selfSignedCertificate } from './support/tls-certificate.js';

const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-cli-'));
const env = { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn', DATABASE_URL: '', TRIBUTARY_SECRET_KEY: '' };

function headerValue(output: string, name: string): string {
  const match = new RegExp(`-H '${name}: ([^']+)'`, 'i').exec(output);
  if (!match?.[1]) throw new Error(`no ${name} header in: ${output}`);
  return match[1];
}

describe('the tributary command', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let headers: Record<string, string>;
  let connectionId: string;

  it('creates a development org on first start and prints headers that work', async () => {
    const started = await startServe(dataDir, env);
    try {
      expect(started.output()).toContain('First start');
      headers = {
        authorization: headerValue(started.output(), 'Authorization'),
        'x-api-key': headerValue(started.output(), 'x-api-key'),
        'x-gw-ims-org-id': headerValue(started.output(), 'x-gw-ims-org-id'),
        'x-sandbox-name': 'prod',
      };
      const specs = await fetch(`${started.baseUrl}/data/foundation/flowservice/flowSpecs?property=name=="CRMToAEP"`, { headers });
      expect(specs.status).toBe(200);
      const created = await fetch(`${started.baseUrl}/data/foundation/flowservice/connections`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(tutorial.paypalBaseConnection),
      });
      expect(created.status).toBe(201);
      connectionId = str(await created.json(), 'id');
      expect(fs.statSync(path.join(dataDir, 'dev-credentials.json')).mode & 0o777).toBe(0o600);
      // The saved token says its lifetime in seconds, as the token endpoint does, and the welcome agrees.
      const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev-credentials.json'), 'utf8')) as Partial<IssuedCredentials>;
      expect(saved).toMatchObject({ expires_in: 86_400, ims_org: 'TRIBUTARYDEV@AdobeOrg' });
      expect(saved.client_secret).toBeUndefined();
      // Its output is a pipe, as a service manager's journal is: the secret goes to a file of its own, not the output.
      const secretFile = path.join(dataDir, 'dev-client-secret.txt');
      expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
      const secret = fs.readFileSync(secretFile, 'utf8').trim();
      expect(secret).not.toBe('');
      expect(started.output()).not.toContain(secret);
      expect(started.output()).toContain(secretFile);
      const token = await fetch(`${started.baseUrl}/ims/token/v3`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=client_credentials&client_id=${saved.client_id}&client_secret=${secret}` });
      expect(token.status).toBe(200);
      expect(started.output()).toContain('The token lasts 24 hours');
    } finally {
      await started.stop();
    }
  });

  it('serves HTTPS with --tls-cert and --tls-key, and will not start with a certificate but no key', async () => {
    const certificate = selfSignedCertificate(path.join(dataDir, 'tls'));
    const started = await startServe(dataDir, env, ['--tls-cert', certificate.certFile, '--tls-key', certificate.keyFile]);
    try {
      expect(started.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const specs = await fetchOverHttps(`${started.baseUrl}/data/foundation/flowservice/flowSpecs`, { method: 'GET', headers }, certificate.cert);
      expect(specs.status).toBe(200);
      await expect(fetch(`${started.baseUrl.replace('https:', 'http:')}/healthz`)).rejects.toThrow();
    } finally {
      await started.stop();
    }
    await expect(startServe(dataDir, { ...env, TRIBUTARY_TLS_KEY: '' }, ['--tls-cert', certificate.certFile])).rejects.toThrow(/both a certificate and its key/);
  });

  it('keeps its state and keys across restarts, without a second welcome', async () => {
    const started = await startServe(dataDir, env);
    try {
      expect(started.output()).not.toContain('First start');
      const fetched = await fetch(`${started.baseUrl}/data/foundation/flowservice/connections/${connectionId}`, { headers });
      expect(fetched.status).toBe(200);
    } finally {
      await started.stop();
    }
  });

  it('stores connection secrets encrypted, never in clear', () => {
    const database = fs.readFileSync(path.join(dataDir, 'metadata.sqlite'));
    const wal = fs.existsSync(path.join(dataDir, 'metadata.sqlite-wal')) ? fs.readFileSync(path.join(dataDir, 'metadata.sqlite-wal')) : Buffer.alloc(0);
    const secret = tutorial.paypalBaseConnection.auth.params.clientSecret;
    expect(database.includes(secret)).toBe(false);
    expect(wal.includes(secret)).toBe(false);
  });

  it('prints new credentials for another org, whose token the server accepts', async () => {
    const { stdout } = await run(process.execPath, [bin, 'credentials', 'create', '--org', 'ACME42@AdobeOrg', '--name', 'ci', '--data-dir', dataDir], { env });
    const issued = JSON.parse(stdout) as IssuedCredentials;
    expect(Object.keys(issued).sort()).toEqual(['access_token', 'client_id', 'client_secret', 'expires_in', 'ims_org', 'tenant_id']);
    // Seconds, as IMS v3 says it: the default lifetime is a day.
    expect(issued.expires_in).toBe(86_400);
    expect(issued.ims_org).toBe('ACME42@AdobeOrg');
    const started = await startServe(dataDir, env);
    try {
      const response = await fetch(`${started.baseUrl}/data/foundation/sandbox-management/sandboxes`, {
        headers: { authorization: `Bearer ${issued.access_token}`, 'x-api-key': issued.client_id, 'x-gw-ims-org-id': 'ACME42@AdobeOrg' },
      });
      expect(response.status).toBe(200);
      const other = await fetch(`${started.baseUrl}/data/foundation/flowservice/connections/${connectionId}`, {
        headers: { authorization: `Bearer ${issued.access_token}`, 'x-api-key': issued.client_id, 'x-gw-ims-org-id': 'ACME42@AdobeOrg' },
      });
      expect(other.status).toBe(404);
    } finally {
      await started.stop();
    }
  });

  it('refuses a malformed org id with a message, not a stack trace', async () => {
    const failure = await run(process.execPath, [bin, 'credentials', 'create', '--org', 'bad org!', '--data-dir', dataDir], { env }).catch((error: { stderr: string; code: number }) => error);
    expect('code' in failure && failure.code).toBe(1);
    expect('stderr' in failure ? failure.stderr : '').toMatch(/IMS org "bad org!" must be/);
  });
});
