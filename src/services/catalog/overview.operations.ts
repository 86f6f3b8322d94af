import { Type } from 'typebox';
import { ApiError } from '../../server/errors/api-error.js';
import { CatalogListQuery, catalogListResponse, project } from './catalog-listing.js';
import { errorAnswers } from '../../server/api-reference/error-answers.js';
import { Collections, jsonAnswer, LastBatchesById, TagValues } from './catalog-answers.schema.js';
import { listErrors, type CatalogOperation } from './catalog-operation.js';

const TagParams = Type.Object({ tagNamespace: Type.String({ minLength: 1, maxLength: 512 }) });

/** The collections this Catalog serves, as the root answers them. */
const collections = { batches: '@/batches', dataSets: '@/dataSets', lastBatches: '@/lastBatches' };

/** Read-only views across a sandbox's Catalog: each dataset's last batches, a tag's values, the collections. */
export function overviewOperations(): CatalogOperation[] {
  return [
    {
      method: 'GET',
      path: '/lastBatches',
      summary: "List each dataset's last batch, last successful batch and last failed batch",
      schema: { querystring: CatalogListQuery },
      response: { 200: jsonAnswer('One page of datasets that have batches, keyed by dataset id', LastBatchesById), ...errorAnswers(...listErrors) },
      run: async (call) => {
        // The dataset index alone: no dataset body is read.
        const dataSets = new Set(await call.dataSets.ids(call.ctx.scope, []));
        const last = await call.batches.lastBatches(call.ctx.scope);
        const items = [...last]
          .filter(([dataSetId]) => dataSets.has(dataSetId))
          .map(([dataSetId, batches]) => ({ id: dataSetId, ...batches, imsOrg: call.ctx.orgId, sandboxId: call.ctx.sandbox.id }));
        return { status: 200, body: catalogListResponse(items, call.query, { valuesOf: { dataSetId: (item) => [item.id] } }) };
      },
    },
    {
      method: 'GET',
      path: '/tags/:tagNamespace',
      summary: "Look up a tag's values across the sandbox's datasets and batches, and the objects that carry it",
      schema: { params: TagParams },
      response: { 200: jsonAnswer("The tag's values and the objects that carry it", TagValues), ...errorAnswers('notFound') },
      run: async (call) => {
        const namespace = String(call.params.tagNamespace);
        const { values, objects } = await call.tags.lookup(call.ctx.scope, namespace);
        const objectType = Object.fromEntries(Object.entries(objects).map(([collection, ids]) => [collection, ids.map((id) => `@/${collection}/${id}`)]));
        if (Object.keys(objectType).length === 0) {
          throw new ApiError('notFound', `No dataset or batch in this sandbox has the tag "${namespace}".`, { report: { type: 'tags', id: namespace } });
        }
        return { status: 200, body: { objectType, [namespace]: values } };
      },
    },
    {
      method: 'GET',
      path: '/',
      summary: 'List the collections this Catalog serves',
      schema: { querystring: Type.Object({ properties: Type.Optional(Type.String()), limit: CatalogListQuery.properties.limit, start: CatalogListQuery.properties.start, orderBy: Type.Optional(Type.String()), property: CatalogListQuery.properties.property }) },
      response: { 200: jsonAnswer('The collections, each with its reference', Collections) },
      run: async (call) => ({ status: 200, body: project(collections, call.query.properties as string | undefined) }),
    },
  ];
}
