import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { localFilesSpecId, readerFor } from '../../connectors/local-files/local-files-connector.js';
import { listLocalFolder } from '../../connectors/local-files/local-folder-listing.js';
import { resolveLocalFiles } from '../../connectors/local-files/local-file-paths.js';
import { rootFolderProblem } from '../../connectors/local-files/root-folder-problem.js';
import { RestConnector } from '../../connectors/rest/rest-connector.js';
import { isExplorableSource, type ExplorableSource } from '../../connectors/explorable-source.js';
import { SourceConfigError, SourceProviderError, SourceTransientError } from '../../connectors/source-connector.js';
import type { ConnectorLookup } from '../../engine/connectors-by-spec.js';
import { DuckDbSession } from '../../lake/duckdb-session.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import type { RequestContext } from '../../server/gateway/request-context.js';
import { IdParams } from '../../server/request-parts.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import type { ServiceDeps } from '../service-deps.js';
import { connectionKind, credentialsSaver, openParams } from './connections.js';
import { openBoundCredentials } from './bound-credentials.js';
import { ConnectionsRepository } from './connections.repository.js';
import { flowBase } from './flow-base.js';
import { exploreColumn, type XdmColumnType } from './explore-column.js';
import { exploreRestSource, testRestSource } from './rest-explore.js';
import { exploreSchemas, ExploreQuery } from './explore.route-schemas.js';

/** DuckDB's column types in XDM terms, as AEP's explore responses give them. */
function xdmOf(duckType: string): XdmColumnType {
  const type = duckType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(type)) return { type: 'integer' };
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL)/.test(type)) return { type: 'number' };
  if (type === 'BOOLEAN') return { type: 'boolean' };
  if (type === 'DATE') return { type: 'string', format: 'date' };
  if (type.startsWith('TIMESTAMP')) return { type: 'string', format: 'date-time' };
  if (type.startsWith('STRUCT') || type.startsWith('MAP')) return { type: 'object' };
  if (type.endsWith('[]')) return { type: 'array' };
  return { type: 'string' };
}

/**
 * `GET /connections/{id}/explore`: for file sources folders, files, inferred columns and up to 100 preview
 * rows; for API sources their tables, columns and live previews. `GET /connections/{id}/test` checks that a
 * connection's credentials and host work.
 */
export function registerExploreRoutes(app: FastifyInstance, deps: ServiceDeps & { layout: LakeLayout; connectors: ConnectorLookup }): void {
  const repo = new ResourcesRepository(deps.db);
  const connections = new ConnectionsRepository(deps.db);

  /**
   * The connection, its spec, and for API sources the connector with the connection's credentials, refused
   * (`credentialsMoved`) before any request when they would go elsewhere than where they were saved for.
   */
  const openConnection = async (ctx: RequestContext, id: string) => {
    const connection = await connections.get(connectionKind, ctx.scope, id);
    if (!connection) throw notFound('connections', id);
    const specId = connection.body.connectionSpec.id;
    const connector = deps.connectors(specId);
    if (isExplorableSource(connector)) {
      const auth = await openBoundCredentials(connection, { repo, secretBox: deps.secretBox }, ctx.scope);
      return { connection, specId, rest: undefined, explorable: { source: connector, auth } };
    }
    if (!(connector instanceof RestConnector)) return { connection, specId, rest: undefined, explorable: undefined };
    const auth = await openBoundCredentials(connection, { repo, secretBox: deps.secretBox }, ctx.scope);
    return { connection, specId, rest: { connector, auth, saveCredentials: credentialsSaver(repo, deps, ctx.scope, connection.id, auth) }, explorable: undefined };
  };

  app.get<{ Params: Static<typeof IdParams> }>(
    `${flowBase}/connections/:id/test`,
    { schema: exploreSchemas.test },
    async (request) => {
      const { connection, specId, rest, explorable } = await openConnection(request.ctx, request.params.id);
      if (rest) return testRestSource(rest.connector, rest.auth, rest.saveCredentials);
      if (explorable) return explorable.source.test(explorable.auth);
      if (specId === localFilesSpecId) {
        try {
          const problem = rootFolderProblem(deps.fileRoots.check(String(openParams(connection, deps).rootPath), request.ctx.orgId));
          return problem ? { status: 'failed' as const, message: problem } : { status: 'ok' as const, message: 'the root folder is readable' };
        } catch (error) {
          if (error instanceof SourceConfigError) return { status: 'failed' as const, message: error.message };
          throw error;
        }
      }
      throw new ApiError('validation', `connections of spec ${specId} have nothing to test`);
    },
  );
  app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof ExploreQuery> }>(
    `${flowBase}/connections/:id/explore`,
    { schema: exploreSchemas.explore },
    async (request) => {
      const { connection, specId, rest, explorable } = await openConnection(request.ctx, request.params.id);
      const query = { ...request.query, objectType: request.query.objectType ?? 'root' };
      if (rest) return exploreRestSource(rest.connector, rest.auth, query, deps.layout.tempDir(), rest.saveCredentials);
      if (explorable) return exploreSource(explorable.source, explorable.auth, query, deps.layout.tempDir());
      if (specId !== localFilesSpecId) throw new ApiError('validation', `connections of spec ${specId} cannot be explored`);
      let root: string;
      try {
        root = deps.fileRoots.check(String(openParams(connection, deps).rootPath), request.ctx.orgId);
      } catch (error) {
        if (error instanceof SourceConfigError) throw new ApiError('validation', error.message);
        throw error;
      }
      const { objectType, object = '', fileType, preview } = query;
      try {
        if (objectType !== 'file') {
          return listLocalFolder(root, objectType === 'root' ? '' : object).map((entry) => ({ ...entry, canPreview: entry.type === 'file', canFetchSchema: entry.type === 'file' }));
        }
        const files = resolveLocalFiles(root, object);
        const format = fileType ?? formatOf(object);
        const duck = await DuckDbSession.open({ tempDirectory: deps.layout.tempDir() });
        try {
          const relation = readerFor(files.map((f) => f.path), { format });
          const columns = (await duck.rows(`DESCRIBE SELECT * FROM ${relation}`)).map((row) => {
            return exploreColumn(String(row.column_name), xdmOf(String(row.column_type)));
          });
          const data = preview ? await duck.rows(`SELECT * FROM ${relation} LIMIT 100`) : undefined;
          return { format: 'flat', schema: { columns }, ...(data ? { data } : {}) };
        } finally {
          duck.close();
        }
      } catch (error) {
        if (error instanceof SourceConfigError) throw new ApiError('validation', error.message, { problems: [{ in: 'query', path: 'object', message: error.message }] });
        if (error instanceof Error && /Error:/.test(error.message)) throw new ApiError('validation', `the file cannot be read as ${fileType ?? 'its extension says'}: ${error.message.split('\n')[0] ?? ''}`);
        throw error;
      }
    },
  );
}

/**
 * Explore through an `ExplorableSource` (databases, SFTP, S3). A file's relation is described and previewed by
 * DuckDB here, as for Local Files; the source's own failures become 400s that say what to fix.
 */
async function exploreSource(source: ExplorableSource, auth: Record<string, unknown>, query: Static<typeof ExploreQuery> & { objectType: string }, tempRoot: string): Promise<unknown> {
  const { objectType, object = '', fileType, preview = false } = query;
  const workDir = path.join(tempRoot, `explore-${crypto.randomUUID()}`);
  try {
    if (objectType === 'root' || objectType === 'folder') return await source.list(auth, { objectType, object });
    if (objectType !== 'file' && objectType !== 'table') {
      throw new ApiError('validation', `objectType "${objectType}" does not apply to this connection; use root, folder, file or table`, {
        problems: [{ in: 'query', path: 'objectType', message: 'must be root, folder, file or table for this connection' }],
      });
    }
    fs.mkdirSync(workDir, { recursive: true });
    const described = await source.describe(auth, { objectType, object, fileType, preview }, workDir);
    if (described.kind === 'columns') {
      const columns = described.columns.map((column) => exploreColumn(column.name, column.xdm));
      return { format: 'flat', schema: { columns }, ...(preview && described.rows ? { data: described.rows.slice(0, 100) } : {}) };
    }
    const duck = await DuckDbSession.open({ tempDirectory: tempRoot });
    try {
      const columns = (await duck.rows(`DESCRIBE SELECT * FROM ${described.relation}`)).map((row) => exploreColumn(String(row.column_name), xdmOf(String(row.column_type))));
      const data = preview ? await duck.rows(`SELECT * FROM ${described.relation} LIMIT 100`) : undefined;
      return { format: 'flat', schema: { columns }, ...(data ? { data } : {}) };
    } finally {
      duck.close();
    }
  } catch (error) {
    if (error instanceof SourceConfigError) throw new ApiError('validation', error.message, { problems: [{ in: 'query', path: 'object', message: error.message }] });
    if (error instanceof SourceTransientError || error instanceof SourceProviderError) throw new ApiError('sourceUnreachable', error.message);
    throw error;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function formatOf(file: string): 'delimited' | 'json' | 'parquet' {
  const extension = path.extname(file.replace(/\.(gz|zst)$/, '')).toLowerCase();
  if (extension === '.parquet') return 'parquet';
  if (extension === '.json' || extension === '.jsonl' || extension === '.ndjson') return 'json';
  return 'delimited';
}
