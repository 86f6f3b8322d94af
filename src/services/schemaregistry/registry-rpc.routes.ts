import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { resolveFull } from '../../xdm/resolve-full.js';
import type { ServiceDeps } from '../service-deps.js';
import type { RegistryAuditLog } from './audit-log.js';
import { Registry } from './registry.js';
import { AuditLogResponse, ExportPayload, ImportBody, ImportResponse, RpcResourceParams, SampleData } from './registry-rpc.schema.js';
import { sampleData } from './sample-data.js';
import { exportPayload, unknownResource } from './schema-export.js';
import { importPayload } from './schema-import.js';
import { tenantDependencies } from './tenant-dependencies.js';

const rpcBase = '/data/foundation/schemaregistry/rpc';
const tags = ['schemaregistry'];

/**
 * The registry's remote procedure calls: export and import of tenant resources between sandboxes and orgs,
 * sample data for a schema, and a resource's audit log. Unlike the other registry paths they take no
 * container and need no Accept header.
 */
export function registerRegistryRpcRoutes(app: FastifyInstance, deps: ServiceDeps, audit: RegistryAuditLog): void {
  const repo = new ResourcesRepository(deps.db);
  // The resource named in the path and what it builds on: an export, a sample or a history needs no more.
  const around = (request: FastifyRequest<{ Params: RpcResourceParams }>) => Registry.ofComponent(repo, request.ctx.scope, request.params.id);

  app.get<{ Params: RpcResourceParams }>(
    `${rpcBase}/export/:id`,
    { schema: { tags, summary: 'Export a tenant resource with the tenant components it builds on', params: RpcResourceParams, response: { 200: ExportPayload, ...errorAnswers('notFound', 'validation') } } },
    async (request) => exportPayload(await around(request), request.params.id, request.ctx.tenantId),
  );

  app.post<{ Body: ImportBody }>(
    `${rpcBase}/import`,
    { schema: { tags, summary: 'Create the resources of an export payload in this sandbox', body: ImportBody, response: { 200: ImportResponse, ...errorAnswers('validation', 'importFailed', 'unknownReference', 'incompatibleComponent') } } },
    async (request) => importPayload(request, request.body, { db: deps.db, now: deps.now, audit }),
  );

  app.get<{ Params: RpcResourceParams }>(
    `${rpcBase}/sampledata/:id`,
    { schema: { tags, summary: 'Generate a sample record for a schema', params: RpcResourceParams, response: { 200: SampleData, ...errorAnswers('notFound') } } },
    async (request) => {
      const registry = await around(request);
      const entry = registry.find(request.params.id, 'schemas');
      if (!entry) throw unknownResource(request.params.id);
      return sampleData(resolveFull(entry.doc, registry.lookup));
    },
  );

  app.get<{ Params: RpcResourceParams }>(
    `${rpcBase}/auditlog/:id`,
    { schema: { tags, summary: "List a resource's changes, most recent first", params: RpcResourceParams, response: { 200: AuditLogResponse, ...errorAnswers('notFound') } } },
    async (request) => {
      const registry = await around(request);
      const entry = registry.find(request.params.id);
      if (entry) {
        const dependencies = tenantDependencies(entry.doc, registry).map((doc) => String(doc.$id));
        const metadata = entry.doc['meta:registryMetadata'];
        const created = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) && typeof metadata['repo:createdDate'] === 'number' ? metadata['repo:createdDate'] : undefined;
        return audit.history(request.ctx.scope, String(entry.doc.$id), dependencies, created);
      }
      // A deleted resource keeps its history, readable by $id or by the altId it had.
      const id = idOfAltId(request.params.id) ?? request.params.id;
      const history = await audit.history(request.ctx.scope, id, [], undefined);
      if (history.length === 0) throw unknownResource(request.params.id);
      return history;
    },
  );
}

/** `_{TENANT}.{type}.{hex}` is the altId of `https://ns.adobe.com/{TENANT}/{type}/{hex}`. */
function idOfAltId(altId: string): string | undefined {
  const match = /^_([^.]+)\.(schemas|mixins|datatypes|classes)\.([A-Za-z0-9_-]+)$/.exec(altId);
  return match ? `https://ns.adobe.com/${match[1]}/${match[2]}/${match[3]}` : undefined;
}
