import { catalog } from './catalog.js';
import { request, type Scope } from './client.js';

/** Creates a Catalog dataset on a schema and answers its id (Catalog answers `["@/dataSets/{id}"]`). */
export async function createDataSet(scope: Scope, name: string, schemaId: string, signal?: AbortSignal): Promise<string> {
  const body = { name, schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } };
  const answer = await request<unknown>(scope, 'POST', `${catalog}/dataSets`, { body, ...(signal ? { signal } : {}) });
  const ref = Array.isArray(answer) && typeof answer[0] === 'string' ? answer[0] : undefined;
  const id = ref?.split('/').pop();
  if (!id) throw new Error(`Catalog created the dataset but answered no id (${JSON.stringify(answer).slice(0, 200)}).`);
  return id;
}
