import { expect } from 'vitest';
import { DEFAULT_STRIPE_KEY } from '../../src/standins/stripe/index.js';
import { createFlowFrom, type FileFlow, type FlowApi } from './file-flow.js';
import { flowservice, restFlowSpec, stripeSpec } from './payment-sources.js';
import { str } from './test-api.js';

/** Charges into the tutorial's product fields: the charge's status, description and currency. */
export const chargeColumns = { name: 'Status', description: 'Description', type: 'Currency' };

/**
 * A flow from one resource of the Stripe stand-in at `host` into the tutorial's dataset shape, as a user builds it:
 * a connection with the stand-in's key, a source connection on the resource, then the flow (`_id` the object id).
 */
export async function createStripeFlow(
  api: FlowApi,
  host: string,
  options: { title: string; resourcePath?: string; columns?: { name: string; description: string; type: string } },
): Promise<FileFlow> {
  const { title, resourcePath = 'charges', columns = chargeColumns } = options;
  const connection = await api.request('POST', `${flowservice}/connections`, {
    body: { name: `Stripe ${title}`, auth: { specName: 'OAuth2 Refresh Code', params: { host, accessToken: DEFAULT_STRIPE_KEY } }, connectionSpec: { id: stripeSpec, version: '1.0' } },
  });
  expect(connection.status, connection.text).toBe(201);
  const source = await api.request('POST', `${flowservice}/sourceConnections`, {
    body: { name: title, baseConnectionId: str(connection.json, 'id'), data: { format: 'json' }, params: { resourcePath }, connectionSpec: { id: stripeSpec, version: '1.0' } },
  });
  expect(source.status, source.text).toBe(201);
  return createFlowFrom(api, str(source.json, 'id'), { title, flowSpecId: restFlowSpec, columns: { id: 'Id', ...columns } });
}
