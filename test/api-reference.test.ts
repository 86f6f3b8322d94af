import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { at, startApi, type TestApi } from './support/test-api.js';

const [backend] = await availableBackends();

describe('the server\'s own API description', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(backend!);
  });
  afterAll(async () => api?.close());

  it('serves an OpenAPI document listing every service', async () => {
    const response = await fetch(`${api.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    const paths = Object.keys(document.paths);
    for (const expected of [
      '/data/foundation/flowservice/flows/{id}',
      '/data/foundation/schemaregistry/tenant/{type}',
      '/data/foundation/catalog/dataSets',
      '/data/foundation/conversion/mappingSets',
      '/data/foundation/sandbox-management/sandboxes',
      '/ims/token/v3',
    ]) {
      expect(paths).toContain(expected);
    }
    expect(at(document, 'paths./data/foundation/flowservice/flows.get.parameters')).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'continuationToken', in: 'query' })]),
    );
  });

  it('serves the API reference page', async () => {
    const response = await fetch(`${api.baseUrl}/docs/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
  });
});
