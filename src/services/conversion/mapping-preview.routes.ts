import type { FastifyInstance, FastifyRequest } from 'fastify';
import { mapSampleRows, maxSampleRows } from '../../engine/sample-mapping.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import type { MappingRule } from '../../mapping/mapping-rule.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { handlerValidatedBody } from '../../server/api-reference/handler-validated-body.js';
import { ApiError } from '../../server/errors/api-error.js';
import { ProblemList, isRecord } from '../../server/errors/problem-list.js';
import { ResourcesRepository } from '../../store/resources.repository.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import { loadSchema, type ResolvedSchema } from '../schemaregistry/schema-access.js';
import type { ServiceDeps } from '../service-deps.js';
import { PreviewAnswer, PreviewRequest } from './mapping-sets.schema.js';
import { checkRules, findMappingSet, mappingRules, readMappingRequest } from './mapping-sets.js';

/** The handler checks the rows and the mapping set itself, naming every bad field at once: the schema documents. */
const previewSchema = { tags: ['conversion'], summary: 'Preview what sample rows map to', body: PreviewRequest, response: { 200: PreviewAnswer, ...errorAnswers('validation', 'mappingInvalid') } };

/**
 * `POST /mappingSets/preview`: what sample rows would land as, mapped by a mapping set (given whole, or by `id`
 * and `version` of a stored one) through the compiler the runs use. One answer per row, `{data, errors}`, as
 * Data Prep's docs show; `errors` is null when the row maps cleanly.
 */
export function registerMappingPreviewRoutes(app: FastifyInstance, deps: ServiceDeps & { layout: LakeLayout }): void {
  const repo = new ResourcesRepository(deps.db);

  app.post<{ Body: Record<string, unknown> }>('/data/foundation/conversion/mappingSets/preview', { validatorCompiler: handlerValidatedBody('object'), schema: previewSchema }, async (request) => {
    const problems = new ProblemList();
    const data = request.body.data;
    if (!Array.isArray(data)) problems.add('/data', 'is required: an array of sample rows (JSON objects)');
    else {
      if (data.length > maxSampleRows) problems.add('/data', `holds ${data.length} rows; a preview takes at most ${maxSampleRows}`);
      data.forEach((row, index) => {
        if (!isRecord(row)) problems.add(`/data/${index}`, 'must be a JSON object');
      });
    }
    const mappingSet = problems.object(request.body, 'mappingSet', '/mappingSet', true);
    problems.throwIfAny('The preview request is not valid');
    const { rules, schema } = await mappingOf(request, mappingSet as Record<string, unknown>);
    const found = checkRules(rules, schema);
    if (found.length > 0) {
      throw new ApiError('mappingInvalid', `The mapping set has ${found.length} invalid mapping(s): ${found.map((p) => `${p.destination}: ${p.message}`).join('; ')}`, {
        problems: found.map((p) => ({ in: 'body' as const, path: `/mappingSet/mappings/${p.index}`, message: `${p.destination}: ${p.message}` })),
      });
    }
    const results = await mapSampleRows({ rows: data as JsonObject[], schema: schema.full, rules, tempDir: deps.layout.tempDir() });
    return results.map((result) => ({
      data: result.data,
      errors: result.errors.length === 0 ? null : result.errors.map(({ code, exception, destination, source, sourceType }) => ({ destination, source, sourceType, exception, code })),
    }));
  });

  /** The rules and target schema of the request's mapping set: written out, or a stored one named by id. */
  const mappingOf = async (request: FastifyRequest, body: Record<string, unknown>): Promise<{ rules: MappingRule[]; schema: ResolvedSchema }> => {
    if (typeof body.id === 'string' && body.mappings === undefined) {
      const stored = await findMappingSet(repo, request.ctx.scope, body.id);
      if (!stored) throw new ApiError('validation', `no mapping set ${body.id} in sandbox ${request.ctx.sandbox.name}`, { problems: [{ in: 'body', path: '/mappingSet/id', message: 'no such mapping set' }] });
      const version = typeof body.version === 'number' ? body.version : stored.latestVersion;
      const rules = await mappingRules(repo, request.ctx.scope, stored.id, version);
      const schemaId = stored.schemaOf(version);
      const schema = schemaId ? await loadSchema(repo, request.ctx.scope, schemaId) : undefined;
      if (!rules || !schema) throw new ApiError('validation', `mapping set ${stored.id} has no version ${version} whose schema exists`, { problems: [{ in: 'body', path: '/mappingSet/version', message: `versions are 0 to ${stored.latestVersion}` }] });
      return { rules, schema };
    }
    const problems = new ProblemList();
    const input = readMappingRequest(body, problems);
    try {
      problems.throwIfAny('The mapping set is not valid');
    } catch (error) {
      // The mapping set sits under `mappingSet` in this request: name the fields where the client wrote them.
      if (error instanceof ApiError) throw new ApiError(error.key, error.message, { problems: error.problems.map((p) => ({ ...p, path: `/mappingSet${p.path}` })) });
      throw error;
    }
    const schema = input.schemaId ? await loadSchema(repo, request.ctx.scope, input.schemaId) : undefined;
    if (!schema) {
      const where = body.outputSchema !== undefined ? '/mappingSet/outputSchema/schemaRef/id' : '/mappingSet/xdmSchema';
      throw new ApiError('validation', `no schema ${input.schemaId ?? ''} in sandbox ${request.ctx.sandbox.name}`, { problems: [{ in: 'body', path: where, message: 'no such schema' }] });
    }
    return { rules: input.rules, schema };
  };
}
