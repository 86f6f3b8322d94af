import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { handlerValidatedBody } from '../../server/api-reference/handler-validated-body.js';
import { ApiError, notFound } from '../../server/errors/api-error.js';
import { IdParams } from '../../server/request-parts.js';
import { ProblemList } from '../../server/errors/problem-list.js';
import { QueryBoolean } from '../../server/query-boolean.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import { dateArgumentProblems } from '../../mapping/date-argument-problems.js';
import { ExpressionError, type Expression } from '../../mapping/expression.js';
import { functionArity } from '../../mapping/functions.js';
import { parseExpression } from '../../mapping/parse-expression.js';
import { loadSchema, type ResolvedSchema } from '../schemaregistry/schema-access.js';
import type { ServiceDeps } from '../service-deps.js';
import {
  CreatedMappingSet,
  ExpressionParses,
  ExpressionRequest,
  FunctionList,
  Mapping,
  MappingList,
  MappingSet,
  MappingSetList,
  MappingSetRequest,
  MappingSetValidation,
  OperatorList,
} from './mapping-sets.schema.js';
import { checkRules, mappingSetKind, mappingSetVersion, newMappingId, readMappingRequest, type MappingProblem } from './mapping-sets.js';
import { MappingSetsRepository, type StoredMappingSetBody, type StoredMappingSetVersion } from './mapping-sets.repository.js';
import { listMappingSets } from './mapping-sets-listing.js';

const base = '/data/foundation/conversion';
const MappingParams = Type.Object({ id: Type.String({ minLength: 1 }), mappingId: Type.String({ minLength: 1 }) });
const expandSchema = QueryBoolean({ description: 'Include the target schema, resolved, as outputSchema.jsonSchema.' });
const GetQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 0, description: 'A version of the mapping set; its latest when left out' })), expandSchema: Type.Optional(expandSchema) });
const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'At most this many (100 when left out)' })),
  start: Type.Optional(Type.Integer({ minimum: 0, description: 'Skip this many' })),
  name: Type.Optional(Type.String({ description: 'Only mapping sets whose name contains this' })),
  orderBy: Type.Optional(Type.String({ description: 'field, +field or -field (e.g. -modifiedDate)' })),
  expandSchema: Type.Optional(expandSchema),
});
const tags = ['conversion'];
/** The mapping set routes check their bodies field by field, naming every bad mapping at once: the schemas document. */
const bodyInHandler = { validatorCompiler: handlerValidatedBody('object') };

export function registerConversionRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  const repo = new ResourcesRepository(deps.db);
  const mappingSets = new MappingSetsRepository(deps.db);

  /** Parses and checks a mapping set body against its schema; throws one 400 listing every bad mapping. */
  const prepare = async (request: FastifyRequest, body: Record<string, unknown>) => {
    const problems = new ProblemList();
    const input = readMappingRequest(body, problems);
    problems.throwIfAny('The mapping set is not valid');
    const schema = input.schemaId ? await loadSchema(repo, request.ctx.scope, input.schemaId) : undefined;
    if (!schema) {
      problems.add(body.outputSchema !== undefined ? '/outputSchema/schemaRef/id' : '/xdmSchema', `no schema ${input.schemaId ?? ''} in sandbox ${request.ctx.sandbox.name}`);
      problems.throwIfAny('The mapping set is not valid');
    }
    const found = checkRules(input.rules, schema as ResolvedSchema);
    if (found.length > 0) {
      throw new ApiError('mappingInvalid', `The mapping set has ${found.length} invalid mapping(s): ${found.map((p) => `${p.destination}: ${p.message}`).join('; ')}`, {
        problems: found.map((p) => ({ in: 'body' as const, path: `/mappings/${p.index}`, message: `${p.destination}: ${p.message}` })),
      });
    }
    return { input, schema: schema as ResolvedSchema };
  };

  const createSchema = { tags, summary: 'Create a mapping set', body: MappingSetRequest, response: { 200: CreatedMappingSet, ...errorAnswers('validation', 'mappingInvalid') } };
  app.post<{ Body: Record<string, unknown> }>(`${base}/mappingSets`, { ...bodyInHandler, schema: createSchema }, async (request) => {
    const { input, schema } = await prepare(request, request.body);
    const now = deps.now();
    const id = newMappingId();
    const version = mappingSetVersion({ id, version: 0, schema, contentType: input.contentType, rules: input.rules, name: input.name, ctx: request.ctx, now, createdDate: now, createdBy: request.ctx.userId });
    const stored: StoredMappingSetBody = { versions: [version] };
    await repo.insert(request.ctx.scope, { kind: mappingSetKind, id, body: stored, secret: null, etag: '0', createdAt: now, updatedAt: now });
    return simple(version);
  });

  const validateSchema = { tags, summary: 'Check the mappings of a mapping set', body: MappingSetRequest, response: { 200: MappingSetValidation, ...errorAnswers('validation') } };
  app.post<{ Body: Record<string, unknown> }>(`${base}/mappingSets/validate`, { ...bodyInHandler, schema: validateSchema }, async (request) => {
    const problems = new ProblemList();
    const input = readMappingRequest(request.body, problems);
    problems.throwIfAny('The mapping set is not valid');
    const schema = input.schemaId ? await loadSchema(repo, request.ctx.scope, input.schemaId) : undefined;
    if (!schema) throw new ApiError('validation', `no schema ${input.schemaId ?? ''} in sandbox ${request.ctx.sandbox.name}`);
    const found = checkRules(input.rules, schema);
    return {
      validationResponse: input.rules.map((rule, index) => {
        const errors = found.filter((p) => p.index === index);
        return { status: errors.length === 0 ? 'SUCCESS' : 'FAILED', errors: errors.map((p) => transformError(p, rule.sourceType)) };
      }),
    };
  });

  app.get<{ Querystring: Static<typeof ListQuery> }>(`${base}/mappingSets`, { schema: { tags, summary: 'List mapping sets', querystring: ListQuery, response: { 200: MappingSetList, ...errorAnswers('badOrderBy') } } }, async (request) => {
    const limit = request.query.limit ?? 100;
    const page = await listMappingSets(mappingSets, request.ctx.scope, { ...request.query, limit });
    return { data: page, _page: { count: page.length, limit }, _links: {} };
  });

  const load = async (request: FastifyRequest<{ Params: Static<typeof IdParams> }>) => {
    const stored = await mappingSets.get(request.ctx.scope, request.params.id);
    if (!stored) throw notFound('mappingSets', request.params.id);
    return stored;
  };

  app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof GetQuery> }>(
    `${base}/mappingSets/:id`,
    { schema: { tags, summary: 'Get a mapping set', params: IdParams, querystring: GetQuery, response: { 200: MappingSet, ...errorAnswers('notFound') } } },
    async (request) => {
      const versions = (await load(request)).body.versions;
      const wanted = request.query.version;
      const found = wanted === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === wanted);
      if (!found) throw new ApiError('notFound', `mapping set ${request.params.id} has no version ${String(wanted)}; it has versions 0 to ${versions.length - 1}.`);
      if (!request.query.expandSchema) return found;
      const schema = await loadSchema(repo, request.ctx.scope, String(found.xdmSchema));
      return { ...found, outputSchema: { ...(found.outputSchema as object), jsonSchema: schema?.full ?? null } };
    },
  );

  app.put<{ Params: Static<typeof IdParams>; Body: Record<string, unknown> }>(
    `${base}/mappingSets/:id`,
    {
      ...bodyInHandler,
      schema: { tags, summary: 'Update a mapping set', description: 'Adds a version; earlier versions stay readable.', params: IdParams, body: MappingSetRequest, response: { 200: MappingSet, ...errorAnswers('notFound', 'validation', 'mappingInvalid', 'conflict') } },
    },
    async (request) => {
      const stored = await load(request);
      const body = stored.body;
      const first = body.versions[0] as StoredMappingSetVersion;
      const { input, schema } = await prepare(request, request.body);
      const now = deps.now();
      const version = mappingSetVersion({
        id: stored.id, version: body.versions.length, schema, contentType: input.contentType, rules: input.rules, name: input.name,
        ctx: request.ctx, now, createdDate: first.createdDate, createdBy: first.createdBy,
      });
      const next: StoredMappingSetBody = { versions: [...body.versions, version] };
      if (!(await repo.update(request.ctx.scope, { ...stored, body: next, etag: String(version.version), updatedAt: now }, stored.etag))) {
        throw new ApiError('conflict', `mapping set ${stored.id} was changed by another request; retry.`);
      }
      return version;
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(`${base}/mappingSets/:id/mappings`, { schema: { tags, summary: "List a mapping set's mappings", params: IdParams, response: { 200: MappingList, ...errorAnswers('notFound') } } }, async (request) =>
    current((await load(request)).body).mappings,
  );

  app.get<{ Params: Static<typeof MappingParams> }>(`${base}/mappingSets/:id/mappings/:mappingId`, { schema: { tags, summary: 'Get a mapping of a mapping set', params: MappingParams, response: { 200: Mapping, ...errorAnswers('notFound') } } }, async (request) => {
    const mappings = current((await load(request)).body).mappings;
    const found = mappings.find((m) => m.id === request.params.mappingId);
    if (!found) throw notFound('mappings', request.params.mappingId);
    return found;
  });

  app.post<{ Body: Record<string, unknown> }>(`${base}/languages/el/validate`, { ...bodyInHandler, schema: { tags, summary: 'Check that an expression parses', body: ExpressionRequest, response: { 200: ExpressionParses, ...errorAnswers('validation') } } }, async (request) => {
    const expression = request.body.expression;
    if (typeof expression !== 'string') throw new ApiError('validation', 'expression is required', { problems: [{ in: 'body', path: '/expression', message: 'must be a string' }] });
    let parsed: Expression;
    try {
      parsed = parseExpression(expression);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      throw new ApiError('validation', `The expression does not parse: ${error.message}`, { problems: [{ in: 'body', path: '/expression', message: error.message }] });
    }
    const dates = dateArgumentProblems(parsed);
    if (dates.length > 0) throw new ApiError('validation', `The expression cannot run: ${dates.join('; ')}`, { problems: dates.map((message) => ({ in: 'body' as const, path: '/expression', message })) });
    return true;
  });

  app.get(`${base}/languages/el/functions`, { schema: { tags, summary: 'List the functions of expressions', response: { 200: FunctionList } } }, async () =>
    Object.entries(functionArity).map(([name, [minArgs, maxArgs]]) => ({ name, minArgs, maxArgs })),
  );
  app.get(`${base}/languages/el/operators`, { schema: { tags, summary: 'List the operators of expressions', response: { 200: OperatorList } } }, async () =>
    ['+', '-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||', '!'].map((symbol) => ({ symbol })),
  );
}

function current(stored: StoredMappingSetBody): StoredMappingSetVersion {
  // The stored schema asks for at least one version.
  return stored.versions[stored.versions.length - 1] as StoredMappingSetVersion;
}

function simple(version: Record<string, unknown>) {
  const { id, createdDate, modifiedDate, createdBy, modifiedBy } = version;
  return { id, version: version.version, createdDate, modifiedDate, createdBy, modifiedBy };
}

function transformError(problem: MappingProblem, sourceType: string) {
  return { destination: problem.destination, source: problem.source, exception: problem.message, sourceType };
}
