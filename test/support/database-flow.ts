import { at, type TestApi } from './test-api.js';
import { postFor } from './file-flow.js';
import * as tutorial from './tutorial-requests.js';

export const crmToAepFlowSpec = '14518937-270c-4525-bdec-c2ba7cce3860';
const flowservice = '/data/foundation/flowservice';

/** An XDM field of the test schema: its JSON Schema, and the source column it is mapped from. */
export interface MappedField {
  source: string;
  schema: Record<string, unknown>;
}

/**
 * A dataflow from a database table into a dataset of a Profile schema whose tenant field group `db` holds one
 * field per entry of `fields`, each mapped from its source column; `_id` is mapped from `idColumn`.
 */
export async function createDatabaseFlow(
  api: TestApi,
  options: { title: string; specId: string; baseConnectionId: string; tableName: string; idColumn: string; fields: Record<string, MappedField>; deltaColumn?: string },
): Promise<{ flowId: string; dataSetId: string; sourceId: string }> {
  const post = (url: string, body: unknown, field?: string) => postFor(api, url, body, field);
  const tenant = `_${api.tenantId}`;
  const properties = Object.fromEntries(Object.entries(options.fields).map(([name, field]) => [name, field.schema]));
  const groupId = await post(
    '/data/foundation/schemaregistry/tenant/fieldgroups',
    {
      title: `db fields ${options.title}`,
      description: 'Columns read from a database table',
      type: 'object',
      'meta:intendedToExtend': ['https://ns.adobe.com/xdm/context/profile'],
      definitions: { db: { properties: { [tenant]: { type: 'object', properties: { db: { type: 'object', properties } } } } } },
      allOf: [{ $ref: '#/definitions/db' }],
    },
    '$id',
  );
  const schemaId = await post('/data/foundation/schemaregistry/tenant/schemas', { ...tutorial.targetSchema, title: `schema ${options.title}`, allOf: [{ $ref: 'https://ns.adobe.com/xdm/context/profile' }, { $ref: groupId }] }, '$id');
  const dataSetId = (await post('/data/foundation/catalog/dataSets', { ...tutorial.dataSet(schemaId), name: `dataset ${options.title}` }, '0')).split('/').pop() as string;
  const target = await post(`${flowservice}/targetConnections`, tutorial.targetConnection(schemaId, dataSetId, 'c604ff05-7f1a-43c0-8e18-33bf874cb11c'));
  const sourceId = await post(`${flowservice}/sourceConnections`, {
    name: `source ${options.title}`,
    baseConnectionId: options.baseConnectionId,
    data: { format: 'tabular' },
    params: { tableName: options.tableName },
    connectionSpec: { id: options.specId, version: '1.0' },
  });
  const rule = (destinationXdmPath: string, sourceAttribute: string) => ({ destinationXdmPath, sourceAttribute, identity: false, identityGroup: null, namespaceCode: null, version: 0 });
  const mapping = await post('/data/foundation/conversion/mappingSets', {
    version: 0,
    xdmSchema: schemaId,
    xdmVersion: '1.0',
    id: null,
    mappings: [rule('_id', options.idColumn), ...Object.entries(options.fields).map(([name, field]) => rule(`${tenant}.db.${name}`, field.source))],
  });
  const flowId = await post(`${flowservice}/flows`, {
    name: `flow ${options.title}`,
    flowSpec: { id: crmToAepFlowSpec, version: '1.0' },
    sourceConnectionIds: [sourceId],
    targetConnectionIds: [target],
    transformations: [
      ...(options.deltaColumn ? [{ name: 'Copy', params: { deltaColumn: { name: options.deltaColumn, dateFormat: 'YYYY-MM-DD', timezone: 'UTC' } } }] : []),
      { name: 'Mapping', params: { mappingId: mapping, mappingVersion: 0 } },
    ],
    scheduleParams: { startTime: 1567411548, frequency: 'once' },
  });
  return { flowId, dataSetId, sourceId };
}

/** A base connection of a database spec with AEP's connection-string auth; its id. */
export async function createDatabaseConnection(api: TestApi, specId: string, connectionString: string, title: string): Promise<string> {
  return postFor(api, `${flowservice}/connections`, {
    name: `db ${title}`,
    auth: { specName: 'Connection String Based Authentication', params: { connectionString } },
    connectionSpec: { id: specId, version: '1.0' },
  });
}

/** What a run's copy activity says its source read did (the connector's stream metrics). */
export function streamMetrics(run: unknown): Record<string, unknown> {
  return at(run, 'activities.0.statusSummary.extensions.streams.0') as Record<string, unknown>;
}
