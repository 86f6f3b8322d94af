import type { Scenario } from '../plain-collection.js';
import type { TestApi } from '../../test-api.js';
import { json, once, post, str, tenantSchema } from './fixtures.js';

const conversion = '/data/foundation/conversion';

async function mappingSetBody(api: TestApi): Promise<Record<string, unknown>> {
  return {
    outputSchema: { schemaRef: { id: await tenantSchema(api), contentType: 'application/vnd.adobe.xed-full+json;version=1' } },
    mappings: [
      { sourceType: 'ATTRIBUTE', source: 'id', destination: '_id' },
      { sourceType: 'ATTRIBUTE', source: 'firstName', destination: 'person.name.firstName' },
    ],
  };
}

function mappingSet(api: TestApi): Promise<string> {
  return once(api, 'mappingSet', async () => post(api, `${conversion}/mappingSets`, await mappingSetBody(api)));
}

/** Adobe's "Data Prep API" collection, request by request. */
export const dataPrepScenarios: Record<string, Scenario> = {
  'POST /conversion/languages/el/validate': { vars: async () => ({ body: json({ expression: "concat(firstName, ' ', lastName)" }) }) },
  'GET /conversion/languages/el/functions': {},
  'GET /conversion/languages/el/operators': {},
  'GET /conversion/mappingSets': { vars: async (api) => (await mappingSet(api), {}) },
  'POST /conversion/mappingSets': { vars: async (api) => ({ body: json(await mappingSetBody(api)) }) },
  'POST /conversion/mappingSets/validate': { vars: async (api) => ({ body: json(await mappingSetBody(api)) }) },
  'POST /conversion/mappingSets/preview': { vars: async (api) => ({ body: json({ data: [{ id: 7, firstName: 'Jim' }], mappingSet: await mappingSetBody(api) }) }) },
  'GET /conversion/mappingSets/:MAPPING_SET_ID': { vars: async (api) => ({ MAPPING_SET_ID: await mappingSet(api) }) },
  'PUT /conversion/mappingSets/:MAPPING_SET_ID': { vars: async (api) => ({ MAPPING_SET_ID: await mappingSet(api), body: json(await mappingSetBody(api)) }) },
  'GET /conversion/mappingSets/:MAPPING_SET_ID/mappings': { vars: async (api) => ({ MAPPING_SET_ID: await mappingSet(api) }) },
  'GET /conversion/mappingSets/:MAPPING_SET_ID/mappings/:MAPPING_ID': {
    vars: async (api) => {
      const id = await mappingSet(api);
      return { MAPPING_SET_ID: id, MAPPING_ID: str((await api.request('GET', `${conversion}/mappingSets/${id}/mappings`)).json, '0.id') };
    },
  },
};
