import { str, type TestApi } from './test-api.js';
import * as tutorial from './tutorial-requests.js';

export interface TutorialIds {
  connection: string;
  source: string;
  schema: string;
  dataSet: string;
  target: string;
  mapping: string;
  flow: string;
}

const flowservice = '/data/foundation/flowservice';

/** Creates every object of the (corrected) payments tutorial and returns their ids. */
export async function createTutorialObjects(api: TestApi, sandbox = 'prod'): Promise<TutorialIds> {
  const post = async (path: string, body: unknown, field = 'id') => {
    const response = await api.request('POST', path, { body, sandbox });
    if (response.status >= 300) throw new Error(`POST ${path} answered ${response.status}: ${response.text}`);
    return str(response.json, field);
  };
  const connection = await post(`${flowservice}/connections`, tutorial.paypalBaseConnection);
  const source = await post(`${flowservice}/sourceConnections`, tutorial.sourceConnection(connection));
  const group = await post('/data/foundation/schemaregistry/tenant/fieldgroups', tutorial.productFieldGroup(api.tenantId), '$id');
  const schema = await post('/data/foundation/schemaregistry/tenant/schemas', {
    ...tutorial.targetSchema,
    title: `PayPal target XDM schema ${Math.random().toString(36).slice(2)}`,
    allOf: [...tutorial.targetSchema.allOf, { $ref: group }],
  }, '$id');
  const dataSet = (await post('/data/foundation/catalog/dataSets', tutorial.dataSet(schema), '0')).split('/').pop() as string;
  const target = await post(`${flowservice}/targetConnections`, tutorial.targetConnection(schema, dataSet, 'c604ff05-7f1a-43c0-8e18-33bf874cb11c'));
  const mapping = await post('/data/foundation/conversion/mappingSets', tutorial.mappingSet(schema, `_${api.tenantId}.`));
  const flow = await post(`${flowservice}/flows`, tutorial.flow(source, target, mapping));
  return { connection, source, schema, dataSet, target, mapping, flow };
}
