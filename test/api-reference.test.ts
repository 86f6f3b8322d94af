import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/backends.js';
import { OwnDocument } from './support/contract/own-document.js';
import { at, startApi, type TestApi } from './support/test-api.js';

const [backend] = await availableBackends();

type Json = Record<string, unknown>;
interface Operation {
  key: string;
  path: string;
  method: string;
  body: Json;
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head'];

function operationsOf(document: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const method of methods) {
      const body = item[method] as Json | undefined;
      if (body) operations.push({ key: `${method.toUpperCase()} ${path}`, path, method, body });
    }
  }
  return operations;
}

/** A schema that says something about the body: not `{}` and not an object open to anything. */
function isTyped(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  const s = schema as Json;
  if (s.$ref || s.oneOf || s.anyOf || s.allOf || s.enum || s.const !== undefined) return true;
  if (s.type === 'object') return Object.keys((s.properties as Json | undefined) ?? {}).length > 0 || typeof s.additionalProperties === 'object';
  if (s.type === 'array') return isTyped(s.items) || (typeof s.items === 'object' && s.items !== null && (s.items as Json).type !== undefined);
  return typeof s.type === 'string';
}

function schemasOf(answer: unknown): unknown[] {
  const content = (answer as Json | undefined)?.content as Record<string, Json> | undefined;
  return Object.values(content ?? {}).map((media) => media.schema);
}

/** What an operation still lacks for the reference to be complete; empty when nothing. */
function gaps(operation: Operation): string[] {
  const missing: string[] = [];
  const { body } = operation;
  if (typeof body.summary !== 'string' || body.summary.trim() === '') missing.push('a summary');
  const responses = (body.responses ?? {}) as Record<string, Json>;
  const successes = Object.keys(responses).filter((status) => /^2/.test(status));
  if (successes.length === 0) missing.push('a success answer');
  for (const status of successes) {
    const noBody = status === '204' || operation.method === 'head' || responses[status]?.content === undefined && /no content|no body/i.test(String(responses[status]?.description));
    if (!noBody && !schemasOf(responses[status]).some(isTyped)) missing.push(`a typed ${status} answer`);
  }
  if (!Object.keys(responses).some((status) => /^4/.test(status) && schemasOf(responses[status]).some(isTyped))) missing.push('its error answers');
  const requestBody = body.requestBody as Json | undefined;
  if (requestBody && !schemasOf(requestBody).some(isTyped)) missing.push('a typed request body');
  return missing;
}

describe('the server\'s own API reference', () => {
  let api: TestApi;
  let document: Json;
  beforeAll(async () => {
    api = await startApi(backend!);
    const response = await fetch(`${api.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Json;
  });
  afterAll(async () => api?.close());

  it('lists every service', async () => {
    expect(document.openapi).toMatch(/^3\./);
    const paths = Object.keys(document.paths as Json);
    for (const expected of [
      '/data/foundation/flowservice/flows/{id}',
      '/data/foundation/schemaregistry/tenant/{type}',
      '/data/foundation/catalog/dataSets',
      '/data/foundation/conversion/mappingSets',
      '/data/foundation/sandbox-management/sandboxes',
      '/data/foundation/import/batches',
      '/data/foundation/query/queries',
      '/ims/token/v3',
    ]) {
      expect(paths).toContain(expected);
    }
    expect(at(document, 'paths./data/foundation/flowservice/flows.get.parameters')).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'continuationToken', in: 'query' })]),
    );
  });

  it('gives every operation a summary, typed requests and answers, and its error answers', () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(100);
    const incomplete = operations.map((operation) => ({ key: operation.key, gaps: gaps(operation) })).filter((entry) => entry.gaps.length > 0);
    expect(incomplete.map((entry) => `${entry.key}: lacks ${entry.gaps.join(', ')}`)).toEqual([]);
  });

  it('documents a request the schemas refuse, and the gateway\'s answers, on every gateway route', () => {
    const answers = at(document, 'paths./data/foundation/catalog/dataSets/{id}.get.responses') as Json;
    expect(Object.keys(answers)).toEqual(expect.arrayContaining(['400', '401', '403', '404']));
    expect(at(answers, '401.content.application/json.schema.$ref')).toBe('#/components/schemas/GatewayError');
    expect(at(answers, '404.content')).toHaveProperty(['application/problem+json']);
  });

  it('names the four gateway headers as security schemes, so "Try it out" sends them all', async () => {
    const schemes = at(document, 'components.securitySchemes') as Record<string, Json>;
    const headers = Object.values(schemes).map((scheme) => (scheme.type === 'http' && scheme.scheme === 'bearer' ? 'authorization' : String(scheme.name).toLowerCase()));
    expect(headers.sort()).toEqual(['authorization', 'x-api-key', 'x-gw-ims-org-id', 'x-sandbox-name']);
    const [requirement] = document.security as Json[];
    expect(Object.keys(requirement ?? {}).sort()).toEqual(Object.keys(schemes).sort());
    // What the reference page sends once each scheme is filled in: the request gets through the gateway.
    const values: Record<string, string> = { ...api.gatewayHeaders(), authorization: `Bearer ${api.credentials.access_token}` };
    const sent: Record<string, string> = {};
    for (const scheme of Object.values(schemes)) {
      if (scheme.type === 'http') sent.authorization = values.authorization!;
      else sent[String(scheme.name)] = values[String(scheme.name).toLowerCase()]!;
    }
    const response = await fetch(`${api.baseUrl}/data/foundation/catalog/dataSets`, { headers: sent });
    expect(response.status).toBe(200);
    // Routes outside the gateway say so, so the page sends none of the headers there.
    expect(at(document, 'paths./ims/token/v3.post.security')).toEqual([]);
    expect(at(document, 'paths./collection/{inletId}.post.security')).toEqual([]);
  });

  it('is a contract every answer in the suite is checked against', () => {
    // test-api.ts checks each answer a test gets with this; here, that the check can fail.
    const reference = new OwnDocument(document);
    const token = { method: 'POST', path: '/ims/token/v3', contentType: 'application/json; charset=utf-8' };
    expect(reference.check({ ...token, status: 200, body: { access_token: 'x', token_type: 'bearer', expires_in: 86399 } })).toEqual([]);
    expect(reference.check({ ...token, status: 200, body: { access_token: 'x', token_type: 'bearer', expires_in: '86399' } })).toEqual([expect.stringContaining('/expires_in must be integer')]);
    expect(reference.check({ ...token, status: 418, body: {} })).toEqual([expect.stringContaining('documents no 418 answer')]);
  });

  it('serves the API reference page', async () => {
    const response = await fetch(`${api.baseUrl}/docs/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
  });
});
