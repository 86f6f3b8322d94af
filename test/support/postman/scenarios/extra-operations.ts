import type { ApiResponse, TestApi } from '../../test-api.js';
import { dataSet, etagOf, fileFlow, landedBatch, post } from './fixtures.js';

/** An operation of Adobe's OpenAPI files that no per-API collection request sends, and a request that succeeds. */
export interface ExtraOperation {
  /** As the spec writes it, e.g. `GET /lastBatches`. */
  operation: string;
  send(api: TestApi): Promise<ApiResponse>;
}

const flowservice = '/data/foundation/flowservice';
const catalog = '/data/foundation/catalog';

/** Starts a run of the flow and waits (at most 10 s) for it to end. */
async function finishedRun(api: TestApi, flowId: string): Promise<string> {
  const runId = await post(api, `${flowservice}/runs`, { flowId });
  for (let i = 0; i < 100; i += 1) {
    const run = await api.request('GET', `${flowservice}/runs/${runId}`);
    const status = (run.json as { items: { metrics: { statusSummary: { status: string } } }[] }).items[0]?.metrics.statusSummary.status;
    if (status !== 'inProgress' && status !== 'scheduled') return runId;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} did not end`);
}

export const extraOperations: ExtraOperation[] = [
  {
    operation: 'POST /flows/{FLOW_ID}/action',
    send: async (api) => {
      const { flowId } = await fileFlow(api);
      const action = async (op: string) => api.request('POST', `${flowservice}/flows/${flowId}/action?op=${op}`, { headers: { 'if-match': await etagOf(api, `${flowservice}/flows/${flowId}`) } });
      // Disabled and enabled again: the other requests still run this flow.
      await action('disable');
      return action('enable');
    },
  },
  {
    operation: 'POST /runs/{RUN_ID}/action',
    send: async (api) => {
      const { flowId } = await fileFlow(api);
      // A re-trigger applies to a failed run or one that ingested nothing: the second run of an unchanged file.
      await finishedRun(api, flowId);
      return api.request('POST', `${flowservice}/runs/${await finishedRun(api, flowId)}/action?op=re-trigger`);
    },
  },
  { operation: 'GET /sourceConnections', send: async (api) => (await fileFlow(api), api.request('GET', `${flowservice}/sourceConnections`)) },
  { operation: 'GET /targetConnections', send: async (api) => (await fileFlow(api), api.request('GET', `${flowservice}/targetConnections`)) },
  { operation: 'GET /lastBatches', send: async (api) => (await landedBatch(api), api.request('GET', `${catalog}/lastBatches`)) },
  {
    operation: 'PATCH /v2/dataSets/{DATASET_ID}',
    send: async (api) => api.request('PATCH', `${catalog}/v2/dataSets/${await dataSet(api)}`, { body: { description: 'patched through v2' } }),
  },
];
