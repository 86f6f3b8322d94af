import type { Scenario } from '../plain-collection.js';
import { localFilesSpec } from '../../file-flow.js';
import * as tutorial from '../../tutorial-requests.js';
import type { TestApi } from '../../test-api.js';
import { etagOf, fileFlow, json, newDataSet, post, tenantSchema, unique } from './fixtures.js';

const flowservice = '/data/foundation/flowservice';
const dataLakeSpec = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c';

async function connectionBody(api: TestApi): Promise<Record<string, unknown>> {
  const { root } = await fileFlow(api);
  return { name: unique('connection'), auth: { specName: 'Local Directory', params: { rootPath: root } }, connectionSpec: { id: localFilesSpec, version: '1.0' } };
}

async function newConnection(api: TestApi): Promise<string> {
  return post(api, `${flowservice}/connections`, await connectionBody(api));
}

async function sourceBody(api: TestApi): Promise<Record<string, unknown>> {
  const { connectionId } = await fileFlow(api);
  return { name: unique('source'), baseConnectionId: connectionId, data: { format: 'delimited' }, params: { path: 'products.csv' }, connectionSpec: { id: localFilesSpec, version: '1.0' } };
}

async function targetBody(api: TestApi): Promise<Record<string, unknown>> {
  const schemaId = await tenantSchema(api);
  return { ...tutorial.targetConnection(schemaId, await newDataSet(api, 'target'), dataLakeSpec), name: unique('target') };
}

async function flowBody(api: TestApi): Promise<Record<string, unknown>> {
  const flow = await fileFlow(api);
  const fetched = await api.request('GET', `${flowservice}/flows/${flow.flowId}`);
  const existing = (fetched.json as { items: Record<string, unknown>[] }).items[0] ?? {};
  return { name: unique('flow'), flowSpec: existing.flowSpec, sourceConnectionIds: existing.sourceConnectionIds, targetConnectionIds: existing.targetConnectionIds, transformations: existing.transformations, scheduleParams: { startTime: 1700000000, frequency: 'once' } };
}

const rename = json([{ op: 'replace', path: '/name', value: 'renamed through the collection' }]);

/** A PATCH of a new object's name, with the etag a user reads first for `if-match`. */
function renameScenario(collection: string, idVar: string, body: (api: TestApi) => Promise<Record<string, unknown>>): Scenario {
  return {
    vars: async (api) => {
      const id = await post(api, `${flowservice}/${collection}`, await body(api));
      return { [idVar]: id, body: rename, 'if-match': await etagOf(api, `${flowservice}/${collection}/${id}`) };
    },
  };
}

/** Adobe's "Flow Service API" collection, request by request. */
export const flowServiceScenarios: Record<string, Scenario> = {
  'GET /flowservice/connections': {},
  'POST /flowservice/connections': { vars: async (api) => ({ body: json(await connectionBody(api)) }) },
  'GET /flowservice/connections/:CONNECTION_ID': { vars: async (api) => ({ CONNECTION_ID: (await fileFlow(api)).connectionId }) },
  'GET /flowservice/connections/:CONNECTION_ID/test': { vars: async (api) => ({ CONNECTION_ID: (await fileFlow(api)).connectionId }) },
  'GET /flowservice/connections/:CONNECTION_ID/explore': { vars: async (api) => ({ CONNECTION_ID: (await fileFlow(api)).connectionId }) },
  'PATCH /flowservice/connections/:CONNECTION_ID/': renameScenario('connections', 'CONNECTION_ID', connectionBody),
  'DELETE /flowservice/connections/:CONNECTION_ID/': { vars: async (api) => ({ CONNECTION_ID: await newConnection(api) }) },
  'GET /flowservice/connectionSpecs': {},
  'GET /flowservice/connectionSpecs/:CONNECTION_SPEC_ID': { vars: async () => ({ CONNECTION_SPEC_ID: localFilesSpec }) },
  'GET /flowservice/flows': {},
  'POST /flowservice/flows': { vars: async (api) => ({ body: json(await flowBody(api)) }) },
  'GET /flowservice/flows/:FLOW_ID': { vars: async (api) => ({ FLOW_ID: (await fileFlow(api)).flowId }) },
  'PATCH /flowservice/flows/:FLOW_ID': renameScenario('flows', 'FLOW_ID', flowBody),
  'DELETE /flowservice/flows/:FLOW_ID': { vars: async (api) => ({ FLOW_ID: await post(api, `${flowservice}/flows`, await flowBody(api)) }) },
  'GET /flowservice/flowSpecs': {},
  'GET /flowservice/flowSpecs/:FLOW_SPEC_ID': { vars: async () => ({ FLOW_SPEC_ID: '9753525b-82c7-4dce-8a9b-5ccfce2b9876' }) },
  'GET /flowservice/runs': {},
  'POST /flowservice/runs': { vars: async (api) => ({ body: json({ flowId: (await fileFlow(api)).flowId }) }) },
  'GET /flowservice/runs/:RUN_ID': {
    vars: async (api) => {
      // The run the collection's previous request started (a flow runs one at a time).
      const runs = await api.request('GET', `${flowservice}/runs?property=flowId==${(await fileFlow(api)).flowId}`);
      return { RUN_ID: String((runs.json as { items: { id: string }[] }).items[0]?.id) };
    },
  },
  'POST /flowservice/sourceConnections': { vars: async (api) => ({ body: json(await sourceBody(api)) }) },
  'GET /flowservice/sourceConnections/:SOURCE_CONNECTION_ID': { vars: async (api) => ({ SOURCE_CONNECTION_ID: (await fileFlow(api)).sourceId }) },
  'PATCH /flowservice/sourceConnections/:SOURCE_CONNECTION_ID': renameScenario('sourceConnections', 'SOURCE_CONNECTION_ID', sourceBody),
  'DELETE /flowservice/sourceConnections/:SOURCE_CONNECTION_ID': { vars: async (api) => ({ SOURCE_CONNECTION_ID: await post(api, `${flowservice}/sourceConnections`, await sourceBody(api)) }) },
  'POST /flowservice/targetConnections': { vars: async (api) => ({ body: json(await targetBody(api)) }) },
  'GET /flowservice/targetConnections/:TARGET_CONNECTION_ID': {
    vars: async (api) => ({ TARGET_CONNECTION_ID: await post(api, `${flowservice}/targetConnections`, await targetBody(api)) }),
  },
  'PATCH /flowservice/targetConnections/:TARGET_CONNECTION_ID': renameScenario('targetConnections', 'TARGET_CONNECTION_ID', targetBody),
  'DELETE /flowservice/targetConnections/:TARGET_CONNECTION_ID': { vars: async (api) => ({ TARGET_CONNECTION_ID: await post(api, `${flowservice}/targetConnections`, await targetBody(api)) }) },
};
