import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { ApiError, bodyInvalid, notFound } from '../../server/errors/api-error.js';
import { isUniqueViolation } from '../../store/unique-violation.js';
import type { Sandbox, SandboxesRepository } from './sandboxes.repository.js';

const base = '/data/foundation/sandbox-management';

const SandboxName = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,255}$', description: 'lower-case letters, digits and hyphens' });
const CreateSandbox = Type.Object({
  name: SandboxName,
  title: Type.String({ minLength: 1, maxLength: 256 }),
  type: Type.Union([Type.Literal('development'), Type.Literal('production')]),
});
const UpdateSandbox = Type.Object({ title: Type.String({ minLength: 1, maxLength: 256 }) });
const NameParams = Type.Object({ name: Type.String() });

/** The wire form of a sandbox, as the Sandbox API returns it. */
function toWire(sandbox: Sandbox, deleted = false) {
  return {
    name: sandbox.name,
    id: sandbox.id,
    title: sandbox.title,
    state: deleted ? 'deleted' : sandbox.state,
    type: sandbox.type,
    region: 'local',
    isDefault: sandbox.isDefault,
    eTag: 1,
    createdDate: new Date(sandbox.createdAt).toISOString(),
    lastModifiedDate: new Date(sandbox.updatedAt).toISOString(),
    createdBy: sandbox.createdBy,
    lastModifiedBy: sandbox.updatedBy,
  };
}

export function registerSandboxRoutes(app: FastifyInstance, deps: { sandboxes: SandboxesRepository; now: () => number }): void {
  const { sandboxes } = deps;
  const tags = ['sandbox-management'];

  app.get(`${base}/sandboxTypes`, { schema: { tags } }, async () => ({ sandboxTypes: ['development', 'production'] }));

  const list = async (orgId: string) => {
    const all = await sandboxes.list(orgId);
    return { sandboxes: all.map((s) => toWire(s)), _page: { limit: all.length, count: all.length }, _links: {} };
  };
  app.get(`${base}/sandboxes`, { schema: { tags } }, async (request) => list(request.ctx.orgId));
  app.get(`${base}/`, { schema: { tags } }, async (request) => list(request.ctx.orgId));

  app.get<{ Params: Static<typeof NameParams> }>(`${base}/sandboxes/:name`, { schema: { tags, params: NameParams } }, async (request) => {
    const sandbox = await sandboxes.findByName(request.ctx.orgId, request.params.name);
    if (!sandbox) throw notFound('sandboxes', request.params.name);
    return toWire(sandbox);
  });

  app.post<{ Body: Static<typeof CreateSandbox> }>(`${base}/sandboxes`, { schema: { tags, body: CreateSandbox } }, async (request, reply) => {
    const { name, title, type } = request.body;
    if (type === 'production') throw bodyInvalid('/type', 'only development sandboxes can be created; every org has its production sandbox "prod"');
    if (await sandboxes.findByName(request.ctx.orgId, name)) {
      throw new ApiError('conflict', `A sandbox named "${name}" already exists in this org.`, { problems: [{ in: 'body', path: '/name', message: 'already exists' }] });
    }
    const now = deps.now();
    const sandbox: Sandbox = {
      id: crypto.randomUUID(),
      orgId: request.ctx.orgId,
      name,
      title,
      type,
      state: 'active',
      isDefault: false,
      createdAt: now,
      updatedAt: now,
      createdBy: request.ctx.userId,
      updatedBy: request.ctx.userId,
    };
    try {
      await sandboxes.insert(sandbox);
    } catch (error) {
      // A concurrent create of the same name won the race.
      if (isUniqueViolation(error)) throw new ApiError('conflict', `A sandbox named "${name}" already exists in this org.`);
      throw error;
    }
    return reply.status(201).send(toWire(sandbox));
  });

  app.patch<{ Params: Static<typeof NameParams>; Body: Static<typeof UpdateSandbox> }>(
    `${base}/sandboxes/:name`,
    { schema: { tags, params: NameParams, body: UpdateSandbox } },
    async (request) => {
      const sandbox = await sandboxes.findByName(request.ctx.orgId, request.params.name);
      if (!sandbox) throw notFound('sandboxes', request.params.name);
      const now = deps.now();
      await sandboxes.updateTitle(sandbox, request.body.title, request.ctx.userId, now);
      return toWire({ ...sandbox, title: request.body.title, updatedAt: now, updatedBy: request.ctx.userId });
    },
  );

  app.delete<{ Params: Static<typeof NameParams> }>(`${base}/sandboxes/:name`, { schema: { tags, params: NameParams } }, async (request) => {
    const sandbox = await sandboxes.findByName(request.ctx.orgId, request.params.name);
    if (!sandbox) throw notFound('sandboxes', request.params.name);
    if (sandbox.isDefault) {
      throw new ApiError('notModifiable', `The default production sandbox "${sandbox.name}" cannot be deleted.`);
    }
    await sandboxes.delete(sandbox);
    return toWire(sandbox, true);
  });
}
