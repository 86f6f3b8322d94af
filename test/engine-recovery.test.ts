import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { createFileFlow, runNow } from './support/file-flow.js';
import { startApi, str, type TestApi } from './support/test-api.js';

const backends = await availableBackends();

describe.each(backends)('a server starting on data left by a stopped one, on $name', (backend) => {
  let api: TestApi;
  let root: string;

  beforeAll(async () => {
    api = await startApi(backend);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-recovery-'));
    fs.writeFileSync(path.join(root, 'p.csv'), 'Product_Id,Product_Name,Description,Type,updatedAt\nR1,One,,DIGITAL,2024-01-01 00:00:00\n');
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('removes lake folders no batch committed and staging no run owns, and keeps committed batches', async () => {
    const flow = await createFileFlow(api, { root, path: 'p.csv', format: 'delimited', title: 'recovery' });
    const batchId = str(await runNow(api, flow.flowId), 'activities.1.targetInfo.0.reference.ids.0');
    const dataSetDir = path.join(api.dataDir, 'lake', api.credentials.ims_org, 'prod', flow.dataSetId);
    // What a process killed between moving a batch into the lake and committing it leaves, and a run's package.
    const orphan = path.join(dataSetDir, '0123456789abcdef0123456789abcdef', 'data');
    fs.mkdirSync(orphan, { recursive: true });
    fs.writeFileSync(path.join(orphan, 'part-0.parquet'), 'not committed');
    const staging = path.join(api.dataDir, 'staging', 'a-run-nobody-runs');
    fs.mkdirSync(staging, { recursive: true });

    await api.restart();
    expect(fs.readdirSync(dataSetDir)).toEqual([batchId]);
    expect(fs.existsSync(staging)).toBe(false);
  });
});
