/**
 * Adobe's per-API reference collections (shared/reference/postman/plain) are lists of requests whose bodies, ids
 * and filters are variables a user fills in before sending each one. A scenario is what such a user fills in for
 * one request; the request is then sent by newman exactly as the collection holds it, only the host changed from
 * https://platform.adobe.io to the test server, and its answer is held to Adobe's OpenAPI file.
 */
import { loadContracts } from '../contract/contract-validator.js';
import type { Service } from '../contract/service.js';
import type { TestApi } from '../test-api.js';
import { loadCollection, requestsOf, rewriteHost, type PostmanCollection, type PostmanItem } from './collections.js';
import { runCollection, type Execution } from './run-collection.js';

export const adobeHost = 'https://platform.adobe.io';

/** What a user fills in for one request: its variables (ids, bodies, if-match), made from objects the test created. */
export interface Scenario {
  vars?: (api: TestApi) => Promise<Record<string, string>>;
  /**
   * The status AEP answers. Unset: the operation's success status in Adobe's OpenAPI file. Set only where the
   * collection's own request makes AEP answer otherwise (it sends no credentials, say), with the reason.
   */
  status?: number;
  reason?: string;
}

export interface PlainRequest {
  item: PostmanItem;
  /** `METHOD /service/path/:VAR` from the collection, unique within a collection. */
  key: string;
}

export function plainRequests(file: string, gateway: string): { collection: PostmanCollection; requests: PlainRequest[] } {
  const collection = rewriteHost(loadCollection(`plain/${file}`), adobeHost, gateway);
  const requests = requestsOf(collection.item).map((item) => {
    const url = item.request?.url;
    const path = typeof url === 'string' ? new URL(url).pathname : `/${((url as { path?: string[] } | undefined)?.path ?? []).join('/')}`;
    return { item, key: `${item.request?.method ?? ''} ${path.replace('/data/foundation', '')}` };
  });
  return { collection, requests };
}

export interface PlainOutcome {
  execution: Execution | undefined;
  problems: string[];
}

/** Sends one request of a collection with the scenario's variables and checks its answer against Adobe's docs. */
export async function sendPlainRequest(options: {
  api: TestApi;
  collection: PostmanCollection;
  request: PlainRequest;
  scenario: Scenario;
  gateway: string;
  sslExtraCaCerts: string;
}): Promise<PlainOutcome> {
  const { api, request, scenario } = options;
  const vars = { ...(await scenario.vars?.(api)) };
  const envVar = Object.entries({
    ACCESS_TOKEN: api.credentials.access_token,
    API_KEY: api.credentials.client_id,
    IMS_ORG: api.credentials.ims_org,
    SANDBOX_NAME: 'prod',
    ...vars,
  }).map(([key, value]) => ({ key, value }));
  const itemId = String(request.item._postman_id ?? request.item.id ?? request.item.name);
  const run = await runCollection({ collection: options.collection, folder: [itemId], envVar, maxRequests: 2, sslExtraCaCerts: options.sslExtraCaCerts });
  const execution = run.executions[0];
  const problems: string[] = [];
  if (run.executions.length !== 1 || !execution) return { execution, problems: [`${request.key}: sent ${run.executions.length} requests`] };
  if (execution.requestError) problems.push(`${request.key}: ${execution.requestError}`);
  const url = new URL(execution.url);
  const [, service = '', ...rest] = url.pathname.replace('/data/foundation', '').split('/');
  const contracts = loadContracts();
  const expected = scenario.status ?? successStatus(contracts, service, execution.method, `/${rest.join('/')}`);
  if (execution.status !== expected) problems.push(`${request.key}: answered ${execution.status ?? 'nothing'}, expected ${expected}: ${execution.body.slice(0, 400)}`);
  // An answer without a body (AEP's docs show `200 OK` alone for chunk uploads and COMPLETE) has nothing to check.
  if (execution.body.trim() !== '') {
    const operation = contracts.check({ service: (serviceNames[service] ?? service) as Service, method: execution.method, path: `/${rest.join('/')}`, status: execution.status ?? 0, body: parsedOrText(execution.body) });
    for (const error of operation.errors) problems.push(`${request.key}: ${error}`);
  }
  return { execution, problems };
}

function parsedOrText(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

const serviceNames: Record<string, string> = { flowservice: 'flowservice', schemaregistry: 'schemaregistry', catalog: 'catalog', conversion: 'conversion', import: 'import' };

/** The one success status the spec declares for the operation (201 for creates, 204 for some deletes, ...). */
function successStatus(contracts: ReturnType<typeof loadContracts>, service: string, method: string, path: string): number {
  for (const status of [200, 201, 202, 204]) {
    const result = contracts.check({ service: service as Service, method, path, status, body: undefined });
    if (result.operation !== null && result.response === String(status)) return status;
  }
  return 200;
}
