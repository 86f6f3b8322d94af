import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { startApi, type TestApi } from './support/test-api.js';

const backends = await availableBackends();

describe.each(backends)('health probes on $name', (backend) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(backend);
  });
  afterAll(async () => api?.close());

  it('answers liveness and readiness without credentials', async () => {
    const live = await api.request('GET', '/healthz', { auth: false });
    expect(live.status).toBe(200);
    expect(live.json).toEqual({ status: 'ok', backend: backend.name });
    const ready = await api.request('GET', '/readyz', { auth: false });
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready', checks: { store: 'ok', lake: 'ok' } });
    // The write probe leaves nothing behind in the lake.
    expect(fs.readdirSync(path.join(api.dataDir, 'lake')).filter((name) => name.startsWith('.ready-'))).toEqual([]);
  });

  it('is not ready while the lake cannot take a file, and says which part failed without a path', async () => {
    const lake = path.join(api.dataDir, 'lake');
    const aside = `${lake}.aside`;
    fs.renameSync(lake, aside);
    fs.writeFileSync(lake, 'not a folder');
    try {
      const ready = await api.request('GET', '/readyz', { auth: false });
      expect(ready.status).toBe(503);
      expect(ready.json).toEqual({ status: 'unavailable', checks: { store: 'ok', lake: 'failed: a file cannot be written in the lake' } });
      expect(ready.text).not.toContain(api.dataDir);
      // Liveness does not depend on it: the process is up, restarting it would not help.
      expect((await api.request('GET', '/healthz', { auth: false })).status).toBe(200);
    } finally {
      fs.rmSync(lake);
      fs.renameSync(aside, lake);
    }
    expect((await api.request('GET', '/readyz', { auth: false })).status).toBe(200);
  });

  it('is not ready when the metadata store does not answer', async () => {
    await api.store.close();
    const ready = await api.request('GET', '/readyz', { auth: false });
    expect(ready.status).toBe(503);
    expect(ready.json).toEqual({ status: 'unavailable', checks: { store: 'failed: the metadata store did not answer', lake: 'ok' } });
    // Open it again so the suite's close works as usual.
    await api.restart();
    expect((await api.request('GET', '/readyz', { auth: false })).status).toBe(200);
  });
});
