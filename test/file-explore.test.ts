import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { localFilesSpec } from './support/file-flow.js';
import { at, startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();

describe.each(backends)('exploring a local files connection on $name', (backend) => {
  let api: TestApi;
  let root: string;
  let connection: string;
  const explore = (query: string) => api.request('GET', `/data/foundation/flowservice/connections/${connection}/explore?${query}`);

  beforeAll(async () => {
    api = await startApi(backend);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-explore-'));
    fs.mkdirSync(path.join(root, 'paypal'));
    fs.writeFileSync(path.join(root, 'paypal', 'Catalog_Products.csv'), 'Product_Id,Product_Name,Price,updatedAt\nP1,Widget,9.5,2024-01-02 10:00:00\nP2,Gadget,12,2024-01-03 11:00:00\n');
    fs.writeFileSync(path.join(root, 'readme.txt'), 'not data');
    const created = await api.request('POST', '/data/foundation/flowservice/connections', {
      body: { name: 'files', auth: { specName: 'Local Directory', params: { rootPath: root } }, connectionSpec: { id: localFilesSpec, version: '1.0' } },
    });
    connection = str(created.json, 'id');
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists the root and its folders', async () => {
    const top = await explore('objectType=root');
    expect(top.json).toEqual([
      { type: 'folder', name: 'paypal', path: 'paypal', canPreview: false, canFetchSchema: false },
      { type: 'file', name: 'readme.txt', path: 'readme.txt', canPreview: true, canFetchSchema: true },
    ]);
    const folder = await explore('objectType=folder&object=paypal');
    expect(at(folder.json, '0.path')).toBe('paypal/Catalog_Products.csv');
  });

  it('infers a file\'s columns as XDM types and previews its rows', async () => {
    const file = await explore('objectType=file&object=paypal/Catalog_Products.csv&fileType=delimited&preview=true');
    expect(file.json).toMatchObject({
      format: 'flat',
      schema: {
        columns: [
          { name: 'Product_Id', type: 'string' },
          { name: 'Product_Name', type: 'string' },
          { name: 'Price', type: 'number' },
          { name: 'updatedAt', type: 'string', 'meta:xdmType': 'date-time' },
        ],
      },
      data: [{ Product_Id: 'P1', Product_Name: 'Widget' }, { Product_Id: 'P2' }],
    });
  });

  it('refuses a root outside the operator\'s allowed folders or holding the data directory', async () => {
    for (const rootPath of ['/etc', api.dataDir, path.dirname(api.dataDir)]) {
      const response = await api.request('POST', '/data/foundation/flowservice/connections', {
        body: { name: 'escape', auth: { specName: 'Local Directory', params: { rootPath } }, connectionSpec: { id: localFilesSpec, version: '1.0' } },
      });
      expect(response.status, rootPath).toBe(400);
      expect(at(response.json, 'report.errors.0.path')).toBe('/auth/params/rootPath');
    }
  });

  it('tests a connection by its root folder: there, a file, or missing', async () => {
    const testOf = async (rootPath: string) => {
      const created = await api.request('POST', '/data/foundation/flowservice/connections', {
        body: { name: 'tested', auth: { specName: 'Local Directory', params: { rootPath } }, connectionSpec: { id: localFilesSpec, version: '1.0' } },
      });
      expect(created.status, created.text).toBe(201);
      return (await api.request('GET', `/data/foundation/flowservice/connections/${str(created.json, 'id')}/test`)).json;
    };
    expect(await testOf(root)).toEqual({ status: 'ok', message: 'the root folder is readable' });
    expect(await testOf(path.join(root, 'no-such-folder'))).toEqual({ status: 'failed', message: expect.stringContaining('does not exist') });
    expect(await testOf(path.join(root, 'readme.txt'))).toEqual({ status: 'failed', message: expect.stringContaining('is a file, not a folder') });
  });

  it('refuses file names with glob characters, which DuckDB would expand', async () => {
    fs.writeFileSync(path.join(root, 'paypal', 'x*.csv'), 'a\n1\n');
    expect((await explore('objectType=file&object=paypal/x*.csv')).status).toBe(400);
    fs.rmSync(path.join(root, 'paypal', 'x*.csv'));
  });

  it('refuses paths outside the root and unknown folders with a 400', async () => {
    expect((await explore('objectType=folder&object=../..')).status).toBe(400);
    expect((await explore('objectType=file&object=nothing.csv')).status).toBe(400);
    expect((await explore('objectType=bogus')).status).toBe(400);
    expect((await explore('objectType=file&object=a[')).status).toBe(400);
  });
});
