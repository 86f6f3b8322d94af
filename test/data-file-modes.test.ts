import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IssuedCredentials } from '../src/services/ims/credentials.js';
import { catalog, ingestRecords, profileDataSet, queriedIds } from './support/catalog-fixture.js';
import { startServe } from './support/serve-process.js';
import { at, type ApiResponse, type RequestOptions, type TestApi } from './support/test-api.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-modes-'));
// Not there yet: `serve` creates it.
const dataDir = path.join(root, 'data');
const env = { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn', DATABASE_URL: '', TRIBUTARY_SECRET_KEY: '' };

/** Every file and folder below `dir` (with `dir` itself) whose mode lets its group or others in. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    const stat = fs.lstatSync(current);
    if ((stat.mode & 0o077) !== 0) found.push(`${path.relative(dir, current) || '.'} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(current)) stack.push(path.join(current, entry));
  }
  return found;
}

describe('the modes of what `tributary serve` writes', () => {
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates the data directory, database, key, uploads, lake and query files for its user alone', async () => {
    if (!fs.existsSync(path.resolve('dist/cli/main.js'))) throw new Error('run `npm run build` first: the CLI runs from dist/');
    const started = await startServe(dataDir, env);
    try {
      const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'dev-credentials.json'), 'utf8')) as Omit<IssuedCredentials, 'client_secret'>;
      const gatewayHeaders = () => ({ authorization: `Bearer ${saved.access_token}`, 'x-api-key': saved.client_id, 'x-gw-ims-org-id': saved.ims_org, 'x-sandbox-name': 'prod' });
      const request = async (method: string, url: string, options: RequestOptions = {}): Promise<ApiResponse> => {
        const response = await fetch(`${started.baseUrl}${url}`, { method, headers: { ...gatewayHeaders(), 'content-type': 'application/json' }, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
        const text = await response.text();
        return { status: response.status, headers: response.headers, text, json: text === '' ? undefined : JSON.parse(text) };
      };
      // The fixtures need only these parts of a test server.
      const api = { baseUrl: started.baseUrl, tenantId: saved.tenant_id, gatewayHeaders, request } as unknown as TestApi;
      const { dataSetId } = await profileDataSet(api, 'Private profiles');
      await ingestRecords(api, dataSetId, [{ _id: 'P1', person: { birthYear: 1990 } }]);
      expect(await queriedIds(api, dataSetId)).toEqual(['P1']);
      const listed = await request('GET', `${catalog}/dataSets/${dataSetId}?properties=lastBatchStatus`);
      expect(at(listed.json, `${dataSetId}.lastBatchStatus`)).toBe('success');
    } finally {
      await started.stop();
    }
    const names = fs.readdirSync(dataDir, { recursive: true }).map(String);
    expect(names).toEqual(expect.arrayContaining(['metadata.sqlite', 'secret.key', 'dev-credentials.json']));
    expect(names.some((name) => name.endsWith('.parquet'))).toBe(true);
    expect(openToOthers(dataDir)).toEqual([]);
  });
});
