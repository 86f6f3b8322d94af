import { connectionKinds } from '../../store/connection-index.js';
import { listConnections } from './connections-listing.js';
import { ProblemList } from '../../server/errors/problem-list.js';
import type { FlowCollection } from './flow-collection.js';
import type { StoredConnection } from './connections.repository.js';
import { connectionKind } from './connections.js';
import { flowsUsing } from './flows-using.js';
import { readConnectionSpec } from './spec-reference.js';
import { validateAgainstSpec } from './spec-validator.js';
import { SourceConnectionAnswer } from './flow-answers.schema.js';
import { SourceConnectionRequest } from './flow-requests.schema.js';

export const sourceConnectionKind = connectionKinds.source;
/** A stored source connection, its body checked. */
export type StoredSourceConnection = StoredConnection<typeof sourceConnectionKind>;
const fileFormats = ['delimited', 'json', 'parquet'];

/** What to read from a base connection: a table (tabular sources) or a resource path (REST sources). */
export const sourceConnections: FlowCollection<StoredSourceConnection> = {
  path: 'sourceConnections',
  kind: sourceConnectionKind,
  get: (id, env) => env.connections.get(sourceConnectionKind, env.ctx.scope, id),
  list: (listing, env, collectionPath) => listConnections(env.connections, sourceConnectionKind, env.ctx.scope, listing, collectionPath),
  resourceName: 'sourceConnections',
  reference: { one: 'source connection', many: 'source connections', request: SourceConnectionRequest, answer: SourceConnectionAnswer, createErrors: ['invalidSpec'], updateErrors: ['invalidSpec'], deleteErrors: ['inUse'] },
  patchable: ['name', 'description', 'params', 'data'],

  async prepare(body, env) {
    const problems = new ProblemList();
    const name = problems.string(body, 'name', '/name', true);
    const description = problems.string(body, 'description', '/description', false);
    // The 2020 tutorial says `connectionId`; newer docs say `baseConnectionId`. Both mean the same.
    const legacyId = problems.string(body, 'connectionId', '/connectionId', false);
    const currentId = problems.string(body, 'baseConnectionId', '/baseConnectionId', false);
    if (legacyId && currentId && legacyId !== currentId) problems.add('/connectionId', 'differs from baseConnectionId; send one of them');
    const baseConnectionId = currentId ?? legacyId;
    const idPath = currentId ? '/baseConnectionId' : '/connectionId';
    if (!baseConnectionId) problems.add('/baseConnectionId', 'is required');
    const specRef = readConnectionSpec(problems, body);
    if (specRef && !specRef.spec.sourceSpec) problems.add('/connectionSpec/id', `${specRef.spec.name} is not a source connection spec`, 'invalidSpec');

    if (baseConnectionId) {
      const base = await env.connections.get(connectionKind, env.ctx.scope, baseConnectionId);
      const baseSpecId = base?.body.connectionSpec.id;
      if (!base) problems.add(idPath, `no connection ${baseConnectionId} in sandbox ${env.ctx.sandbox.name}`);
      else if (specRef && baseSpecId !== specRef.spec.id) {
        problems.add('/connectionSpec/id', `must be the base connection's spec ${baseSpecId}`, 'invalidSpec');
      }
    }

    const tabular = specRef?.spec.exploreSpec?.type === 'Resource';
    const data = problems.object(body, 'data', '/data', false) ?? {};
    const format = problems.string(data, 'format', '/data/format', false) ?? (tabular ? 'tabular' : 'json');
    const allowed = tabular ? ['tabular'] : [...fileFormats];
    if (!allowed.includes(format)) problems.add('/data/format', `must be ${allowed.map((f) => `"${f}"`).join(' or ')} for ${specRef?.spec.name ?? 'this source'}`);

    // Sources whose spec takes no required parameter (the HTTP API streaming source) may leave `params` out.
    const required = specRef?.spec.sourceSpec?.spec.required;
    const rawParams = problems.object(body, 'params', '/params', !specRef || (Array.isArray(required) && required.length > 0)) ?? {};
    // The tutorial's property table names `params.path`; the requests send `params.tableName`.
    const properties = specRef?.spec.sourceSpec?.spec.properties;
    const takesTableName = typeof properties === 'object' && properties !== null && 'tableName' in properties && !('path' in properties);
    const { path: legacyPath, ...rest } = rawParams;
    const params: Record<string, unknown> = takesTableName ? { ...rest } : { ...rawParams };
    if (takesTableName && legacyPath !== undefined && params.tableName === undefined) params.tableName = legacyPath;
    if (specRef?.spec.sourceSpec) problems.addAll(validateAgainstSpec(specRef.spec.sourceSpec.spec, params, '/params'));

    problems.throwIfAny('The source connection is not valid');
    return {
      fields: {
        name,
        description: description ?? '',
        baseConnectionId,
        state: 'enabled',
        data: { ...data, format },
        params,
        connectionSpec: { id: specRef?.spec.id, version: specRef?.version },
      },
      secret: null,
    };
  },

  editable(stored) {
    const body = stored.body;
    return { name: body.name, description: body.description, baseConnectionId: body.baseConnectionId, data: body.data, params: body.params, connectionSpec: body.connectionSpec };
  },

  usedBy: (id, env) => flowsUsing(env, 'sourceConnectionIds', id),
};
