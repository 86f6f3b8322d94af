import type { Kysely, Transaction } from 'kysely';
import { ProblemList } from '../../server/errors/problem-list.js';
import { connectionKinds } from '../../store/connection-index.js';
import type { Database } from '../../store/database.js';
import type { Scope } from '../../store/resources.repository.js';
import { findDataSet } from '../catalog/datasets.js';
import type { FlowCollection } from './flow-collection.js';
import { connectionKind } from './connections.js';
import { listConnections } from './connections-listing.js';
import { ConnectionsRepository, type StoredConnection } from './connections.repository.js';
import { flowsUsing } from './flows-using.js';
import { readConnectionSpec } from './spec-reference.js';
import { validateAgainstSpec } from './spec-validator.js';
import { dataLakeConnectionSpec } from './specs/builtin-specs.js';
import { TargetConnectionAnswer } from './flow-answers.schema.js';
import { TargetConnectionRequest } from './flow-requests.schema.js';

export const targetConnectionKind = connectionKinds.target;
/** A stored target connection, its body checked. */
export type StoredTargetConnection = StoredConnection<typeof targetConnectionKind>;

/** Where a flow lands its data: a Data Lake dataset and the XDM schema its rows follow. */
export const targetConnections: FlowCollection<StoredTargetConnection> = {
  path: 'targetConnections',
  kind: targetConnectionKind,
  get: (id, env) => env.connections.get(targetConnectionKind, env.ctx.scope, id),
  list: (listing, env, collectionPath) => listConnections(env.connections, targetConnectionKind, env.ctx.scope, listing, collectionPath),
  resourceName: 'targetConnections',
  reference: { one: 'target connection', many: 'target connections', request: TargetConnectionRequest, answer: TargetConnectionAnswer, createErrors: ['invalidSpec', 'schemaMismatch'], updateErrors: ['invalidSpec', 'schemaMismatch'], deleteErrors: ['inUse'] },
  patchable: ['name', 'description'],

  async prepare(body, env) {
    const problems = new ProblemList();
    const name = problems.string(body, 'name', '/name', true);
    const description = problems.string(body, 'description', '/description', false);
    const baseConnectionId = problems.string(body, 'baseConnectionId', '/baseConnectionId', false);
    if (baseConnectionId && !(await env.connections.get(connectionKind, env.ctx.scope, baseConnectionId))) {
      problems.add('/baseConnectionId', `no connection ${baseConnectionId} in sandbox ${env.ctx.sandbox.name}`);
    }
    const specRef = readConnectionSpec(problems, body);
    if (specRef && !specRef.spec.targetSpec) {
      problems.add(
        '/connectionSpec/id',
        `${specRef.spec.id} is the ${specRef.spec.name} source spec; a target connection needs the Data Lake spec ${dataLakeConnectionSpec.id}`,
        'invalidSpec',
      );
    }
    const params = problems.object(body, 'params', '/params', true) ?? {};
    const targetSpec = specRef?.spec.targetSpec;
    if (targetSpec) problems.addAll(validateAgainstSpec(targetSpec.spec, params, '/params'));

    const data = problems.object(body, 'data', '/data', false) ?? {};
    const schema = problems.object(data, 'schema', '/data/schema', false);
    const schemaId = schema ? problems.string(schema, 'id', '/data/schema/id', true) : undefined;
    const schemaVersion = schema ? problems.string(schema, 'version', '/data/schema/version', false) : undefined;
    const format = problems.string(data, 'format', '/data/format', false) ?? 'parquet_xdm';
    if (format !== 'parquet_xdm') problems.add('/data/format', 'must be "parquet_xdm", the Data Lake format');

    let datasetSchema: string | undefined;
    if (typeof params.dataSetId === 'string' && params.dataSetId !== '') {
      // Clients sometimes pass the "@/dataSets/{id}" form the create call returned.
      const dataSetId = params.dataSetId.replace(/^@\/dataSets\//, '');
      params.dataSetId = dataSetId;
      const dataSet = await findDataSet(env.repo, env.ctx.scope, dataSetId);
      if (!dataSet) problems.add('/params/dataSetId', `no dataset ${dataSetId} in sandbox ${env.ctx.sandbox.name}`);
      else datasetSchema = dataSet.schemaRef.id;
    }
    if (datasetSchema && schemaId && schemaId !== datasetSchema) {
      problems.add('/data/schema/id', `must be the dataset's schema ${datasetSchema}`, 'schemaMismatch');
    }
    problems.throwIfAny('The target connection is not valid');
    const fields: Record<string, unknown> = {
      name,
      description: description ?? '',
      state: 'enabled',
      data: {
        format,
        schema: { id: schemaId ?? datasetSchema, version: schemaVersion ?? 'application/vnd.adobe.xed-full+json;version=1' },
      },
      params,
      connectionSpec: { id: specRef?.spec.id, version: specRef?.version },
    };
    if (baseConnectionId) fields.baseConnectionId = baseConnectionId;
    return { fields, secret: null };
  },

  editable(stored) {
    const body = stored.body;
    const doc: Record<string, unknown> = { name: body.name, description: body.description, data: body.data, params: body.params, connectionSpec: body.connectionSpec };
    if (body.baseConnectionId) doc.baseConnectionId = body.baseConnectionId;
    return doc;
  },

  usedBy: (id, env) => flowsUsing(env, 'targetConnectionIds', id),
};

/** Ids of the target connections that write into `dataSetId`. */
export function targetConnectionsForDataSet(db: Kysely<Database> | Transaction<Database>, scope: Scope, dataSetId: string): Promise<string[]> {
  return new ConnectionsRepository(db).targetsOf(scope, dataSetId);
}
