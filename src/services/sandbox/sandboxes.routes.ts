import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { ApiError, bodyInvalid, notFound } from '../../server/errors/api-error.js';
import { isUniqueViolation } from '../../store/unique-violation.js';
import { CreateSandbox, DeletedSandbox, NameParams, Sandbox as SandboxAnswer, SandboxList, SandboxListQuery, SandboxTypes, UpdateSandbox } from './sandbox.schema.js';
import type { Sandbox, SandboxesRepository } from './sandboxes.repository.js';

const base = '/data/foundation/sandbox-management';

/** A page when neither `limit` nor `offset` is given: the first 50, as the Sandbox API's default. */
const defaultPage = { limit: 50, offset: 0 };

/** `limit` and `offset` of a list: both or neither; one alone is refused naming the other. */
function pageOf(query: SandboxListQuery): { limit: number; offset: number } {
  const { limit, offset } = query;
  if (limit === undefined && offset === undefined) return defaultPage;
  if (limit === undefined || offset === undefined) {
    const [missing, given] = limit === undefined ? ['limit', 'offset'] : ['offset', 'limit'];
    throw new ApiError('validation', `limit and offset go together: send ${missing} too, or neither (the first ${defaultPage.limit} sandboxes)`, { problems: [{ in: 'query', path: missing, message: `is required with ${given}` }] });
  }
  return { limit, offset };
}

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

  app.get(`${base}/sandboxTypes`, { schema: { tags, summary: 'List the sandbox types', response: { 200: SandboxTypes } } }, async () => ({ sandboxTypes: ['development', 'production'] }));

  const list = async (orgId: string, query: SandboxListQuery, path: string) => {
    const { limit, offset } = pageOf(query);
    const page = await sandboxes.page(orgId, offset, limit);
    const at = (from: number) => ({ href: `${base}${path}?limit=${limit}&offset=${from}` });
    return {
      sandboxes: page.sandboxes.map((s) => toWire(s)),
      _page: { limit, count: page.sandboxes.length },
      _links: { ...(page.more ? { next: at(offset + limit) } : {}), ...(offset > 0 ? { prev: at(Math.max(0, offset - limit)) } : {}) },
    };
  };
  const listSchema = (summary: string) => ({ schema: { tags, summary, querystring: SandboxListQuery, response: { 200: SandboxList, ...errorAnswers('validation') } } });
  app.get<{ Querystring: SandboxListQuery }>(`${base}/sandboxes`, listSchema("List the org's sandboxes, a page at a time"), async (request) => list(request.ctx.orgId, request.query, '/sandboxes'));
  app.get<{ Querystring: SandboxListQuery }>(`${base}/`, listSchema("List the org's sandboxes (the same as GET /sandboxes)"), async (request) => list(request.ctx.orgId, request.query, '/'));

  app.get<{ Params: Static<typeof NameParams> }>(`${base}/sandboxes/:name`, { schema: { tags, summary: 'Look up a sandbox by name', params: NameParams, response: { 200: SandboxAnswer, ...errorAnswers('notFound') } } }, async (request) => {
    const sandbox = await sandboxes.findByName(request.ctx.orgId, request.params.name);
    if (!sandbox) throw notFound('sandboxes', request.params.name);
    return toWire(sandbox);
  });

  app.post<{ Body: Static<typeof CreateSandbox> }>(`${base}/sandboxes`, { schema: { tags, summary: 'Create a development sandbox', body: CreateSandbox, response: { 201: SandboxAnswer, ...errorAnswers('validation', 'conflict') } } }, async (request, reply) => {
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
    { schema: { tags, summary: "Change a sandbox's title", params: NameParams, body: UpdateSandbox, response: { 200: SandboxAnswer, ...errorAnswers('notFound') } } },
    async (request) => {
      const sandbox = await sandboxes.findByName(request.ctx.orgId, request.params.name);
      if (!sandbox) throw notFound('sandboxes', request.params.name);
      const now = deps.now();
      await sandboxes.updateTitle(sandbox, request.body.title, request.ctx.userId, now);
      return toWire({ ...sandbox, title: request.body.title, updatedAt: now, updatedBy: request.ctx.userId });
    },
  );

  app.delete<{ Params: Static<typeof NameParams> }>(`${base}/sandboxes/:name`, { schema: { tags, summary: 'Delete a sandbox and everything in it', params: NameParams, response: { 200: DeletedSandbox, ...errorAnswers('notFound', 'notModifiable') } } }, async (request) => {
    const sandbox = await sandboxes.findByName(request.ctx.orgId, request.params.name);
    if (!sandbox) throw notFound('sandboxes', request.params.name);
    if (sandbox.isDefault) {
      throw new ApiError('notModifiable', `The default production sandbox "${sandbox.name}" cannot be deleted.`);
    }
    await sandboxes.delete(sandbox);
    return toWire(sandbox, true);
  });
}
