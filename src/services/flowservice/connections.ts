import { connectionKinds } from '../../store/connection-index.js';
import { listConnections } from './connections-listing.js';
import { ApiError } from '../../server/errors/api-error.js';
import { isRecord, ProblemList } from '../../server/errors/problem-list.js';
import type { ResourcesRepository, Scope, StoredResource } from '../../store/resources.repository.js';
import type { FlowCollection, FlowEnv, Prepared } from './flow-collection.js';
import type { StoredConnection } from './connections.repository.js';
import { readConnectionSpec } from './spec-reference.js';
import { localFilesSpecId } from '../../connectors/local-files/local-files-connector.js';
import { SourceConfigError } from '../../connectors/source-connector.js';
import { validateAgainstSpec } from './spec-validator.js';
import type { AuthSpec, ConnectionSpec } from './specs/connection-spec.js';
import { httpApiConnectionSpec, inletParams, inletUrl } from './specs/http-api.connection-spec.js';
import { ConnectionAnswer } from './flow-answers.schema.js';
import { ConnectionRequest } from './flow-requests.schema.js';
import { storedCredentials } from './bound-credentials.js';
import { describeDestination, destinationOf, destinationParams, sameDestination, secretParams } from './credential-destination.js';

export const connectionKind = connectionKinds.base;
/** A stored base connection, its body checked. */
export type StoredBaseConnection = StoredConnection<typeof connectionKind>;
const masked = '********';

/** Base connections: a connection spec plus the account's credentials, sealed at rest and masked on the wire. */
export const connections: FlowCollection<StoredBaseConnection> = {
  path: 'connections',
  kind: connectionKind,
  get: (id, env) => env.connections.get(connectionKind, env.ctx.scope, id),
  list: (listing, env, collectionPath) => listConnections(env.connections, connectionKind, env.ctx.scope, listing, collectionPath),
  resourceName: 'connections',
  reference: { one: 'connection', many: 'connections', request: ConnectionRequest, answer: ConnectionAnswer, createErrors: ['invalidSpec'], updateErrors: ['invalidSpec', 'specImmutable', 'secretsRequired'], deleteErrors: ['inUse'] },
  patchable: ['name', 'description', 'auth', 'connectionSpec'],

  async prepare(body, env, existing) {
    const problems = new ProblemList();
    const name = problems.string(body, 'name', '/name', true);
    const description = problems.string(body, 'description', '/description', false);
    const specRef = readConnectionSpec(problems, body);
    if (existing && specRef && specRef.spec.id !== existing.body.connectionSpec.id) {
      throw new ApiError('specImmutable', 'The connection spec of a connection cannot be changed; create a new connection instead.', {
        problems: [{ in: 'body', path: '/connectionSpec/id', message: 'cannot be changed' }],
      });
    }
    const restored = restoreMasked(body, existing, env);
    const auth = specRef ? readAuth(problems, restored.body, specRef.spec) : undefined;
    if (auth && specRef?.spec.id === localFilesSpecId) {
      try {
        env.fileRoots.check(String(auth.params.rootPath), env.ctx.orgId);
      } catch (error) {
        if (!(error instanceof SourceConfigError)) throw error;
        problems.add('/auth/params/rootPath', error.message);
      }
    }
    problems.throwIfAny('The connection is not valid');
    if (auth && existing) requireSecretsForNewDestination(auth, restored.kept, storedCredentials(existing, env.secretBox).trusted);
    const fields: Record<string, unknown> = {
      name,
      description: description ?? '',
      connectionSpec: { id: specRef?.spec.id, version: specRef?.version },
      state: 'enabled',
    };
    if (auth && specRef?.spec.id === httpApiConnectionSpec.id) {
      auth.params = inletParams(auth.params, String(name), existing?.body.auth?.params.inletId);
    }
    if (auth) fields.auth = { specName: auth.spec.name, params: maskParams(auth.spec, auth.params) };
    // Sealed bound to where they go: test, explore and runs send them nowhere else (see bound-credentials.ts).
    return { fields, secret: auth ? env.secretBox.seal(auth.params, destinationOf(auth.spec, auth.params)) : null } satisfies Prepared;
  },

  // A streaming connection shows the URL of its inlet, on the host the client reached (sources http.md).
  async present(stored, env) {
    const body = stored.body;
    const params = body.auth?.params;
    if (typeof params?.inletId !== 'string') return { ...body, version: stored.etag };
    return { ...body, auth: { ...body.auth, params: { ...params, inletUrl: inletUrl(env.origin, params.inletId) } }, version: stored.etag };
  },

  // The document a PATCH applies to is the connection as GET shows it, secrets masked: a secret is sent again only
  // by a value in the patch, and the params the secrets go with are the ones the client sees.
  editable(stored) {
    const body = stored.body;
    const doc: Record<string, unknown> = { name: body.name, description: body.description, connectionSpec: body.connectionSpec };
    if (body.auth) doc.auth = { specName: body.auth.specName, params: { ...body.auth.params } };
    return doc;
  },

  async usedBy(id, env) {
    // Any source or target connection built on it, used by a flow or not: deleting it would orphan them.
    return (await env.connections.builtOn(env.ctx.scope, id)).map((built) => `${built.kind.split('.')[1] ?? built.kind} ${built.id}`);
  },
};

function readAuth(problems: ProblemList, body: Record<string, unknown>, spec: ConnectionSpec): { spec: AuthSpec; params: Record<string, unknown> } | undefined {
  if (spec.authSpec.length === 0) {
    if (body.auth !== undefined) problems.add('/auth', `connection spec ${spec.name} takes no credentials`);
    return undefined;
  }
  const auth = problems.object(body, 'auth', '/auth', true);
  if (!auth) return undefined;
  const specName = problems.string(auth, 'specName', '/auth/specName', false);
  const authSpec = specName === undefined && spec.authSpec.length === 1 ? spec.authSpec[0] : spec.authSpec.find((a) => a.name === specName);
  if (!authSpec) {
    problems.add('/auth/specName', `must be one of ${spec.authSpec.map((a) => JSON.stringify(a.name)).join(', ')}`);
    return undefined;
  }
  const params = problems.object(auth, 'params', '/auth/params', true);
  if (!params) return undefined;
  const problemsInParams = validateAgainstSpec(authSpec.spec, params, '/auth/params');
  problems.addAll(problemsInParams);
  return problemsInParams.length === 0 ? { spec: authSpec, params } : undefined;
}

/**
 * A client that PATCHes `/auth` with what GET returned sends the masks back; a masked value means
 * "keep the stored secret", never the literal asterisks. `kept` names the params whose stored value was kept.
 */
function restoreMasked(body: Record<string, unknown>, existing: StoredResource | undefined, env: FlowEnv): { body: Record<string, unknown>; kept: Set<string> } {
  const kept = new Set<string>();
  if (!existing || !isRecord(body.auth) || !isRecord(body.auth.params)) return { body, kept };
  const stored = openParams(existing, env);
  const params = Object.fromEntries(
    Object.entries(body.auth.params).map(([k, v]) => {
      if (v !== masked || !(k in stored)) return [k, v];
      kept.add(k);
      return [k, stored[k]];
    }),
  );
  return { body: { ...body, auth: { ...body.auth, params } }, kept };
}

/**
 * A stored secret goes only where it was saved for: a PATCH that changes where the credentials go (a param the
 * spec marks as a credential destination) must send again, in the same request, every secret the connection
 * keeps, as vaults ask. Otherwise a new host alone would carry the stored secret to whoever listens there.
 */
function requireSecretsForNewDestination(auth: { spec: AuthSpec; params: Record<string, unknown> }, kept: Set<string>, trusted: Record<string, unknown> | undefined): void {
  const destination = destinationOf(auth.spec, auth.params);
  if (trusted && sameDestination(trusted, destination)) return;
  const missing = [...secretParams(auth.spec)].filter((k) => kept.has(k));
  if (missing.length === 0) return;
  const changed = trusted ? destinationParams(auth.spec).filter((k) => JSON.stringify(trusted[k] ?? null) !== JSON.stringify(destination[k])) : destinationParams(auth.spec);
  const why = trusted ? `${changed.join(', ')} changed (now ${describeDestination(destination)})` : 'the destination its secrets were saved for is not known';
  throw new ApiError('secretsRequired', `Where this connection's credentials go changed: ${why}. Send ${missing.join(', ')} again in the same request; a stored secret is never sent to a new destination.`, {
    problems: missing.map((k) => ({ in: 'body' as const, path: `/auth/params/${k}`, message: `must be sent again when ${changed.join(', ') || 'the destination'} changes` })),
  });
}

function maskParams(spec: AuthSpec, params: Record<string, unknown>): Record<string, unknown> {
  const secrets = secretParams(spec);
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, secrets.has(k) ? masked : v]));
}

/** The decrypted credentials of a base connection: for PATCH, the engine and connection tests only. */
export function openParams(stored: StoredResource, env: Pick<FlowEnv, 'secretBox'>): Record<string, unknown> {
  if (!stored.secret) return {};
  const opened = env.secretBox.open(stored.secret);
  return isRecord(opened) ? opened : {};
}


/**
 * Stores credentials a provider rotated during a run or an explore (a new refresh token) into the base
 * connection, sealed. Only the values that changed are written over what is stored now, so a client's
 * concurrent PATCH of other credentials survives; the etag stays, since what clients see does not change.
 */
export function credentialsSaver(repo: ResourcesRepository, env: Pick<FlowEnv, 'secretBox'>, scope: Scope, connectionId: string, original: Record<string, unknown>): (auth: Record<string, unknown>) => Promise<void> {
  return async (auth) => {
    const changed = Object.fromEntries(Object.entries(auth).filter(([key, value]) => original[key] !== value));
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const stored = await repo.get(connectionKind, scope, connectionId);
      if (!stored) return;
      // The binding stays as it was: a rotated token never moves the credentials elsewhere.
      const opened = stored.secret ? env.secretBox.openBound(stored.secret) : { value: {}, boundTo: undefined };
      const sealed = env.secretBox.seal({ ...(isRecord(opened.value) ? opened.value : {}), ...changed }, opened.boundTo);
      if (await repo.update(scope, { ...stored, secret: sealed }, stored.etag)) return;
    }
    throw new Error(`the rotated credentials of connection ${connectionId} could not be stored: it kept changing`);
  };
}
