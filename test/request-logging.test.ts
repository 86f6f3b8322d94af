import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { startApi, type TestApi } from './support/test-api.js';

const [backend] = await availableBackends();

/** A server logging at `level`, with what it wrote as JSON lines. */
async function serverLoggingAt(level: string): Promise<{ api: TestApi; lines: () => { level: number; msg: string; statusCode?: number }[] }> {
  let log = '';
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const api = await startApi(backend!, { logger: { level, stream } });
  return { api, lines: () => log.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { level: number; msg: string; statusCode?: number }) };
}

describe('what the server logs per request', () => {
  let info: Awaited<ReturnType<typeof serverLoggingAt>>;
  let debug: Awaited<ReturnType<typeof serverLoggingAt>>;
  const warnings: string[] = [];
  const warned = (warning: Error & { code?: string }) => warnings.push(`${warning.code ?? warning.name}: ${warning.message}`);
  beforeAll(async () => {
    process.on('warning', warned);
    info = await serverLoggingAt('info');
    debug = await serverLoggingAt('debug');
    process.off('warning', warned);
  });
  afterAll(async () => {
    await info?.api.close();
    await debug?.api.close();
  });

  it('writes no line per request at info, and one at debug with the status', async () => {
    for (const { api } of [info, debug]) {
      expect((await api.request('GET', '/data/foundation/sandbox-management/sandboxes')).status).toBe(200);
      expect((await api.request('GET', '/data/foundation/catalog/dataSets/missing')).status).toBe(404);
    }
    expect(info.lines().filter((line) => /request/.test(line.msg))).toEqual([]);
    const completed = debug.lines().filter((line) => line.msg === 'request completed');
    expect(completed.map((line) => [line.level, line.statusCode])).toEqual(expect.arrayContaining([[20, 200], [20, 404]]));
  });

  it('says so through the log controller, not the deprecated disableRequestLogging option', () => {
    expect(warnings.filter((warning) => warning.startsWith('FSTDEP'))).toEqual([]);
  });
});
