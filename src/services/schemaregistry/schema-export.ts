import { ApiError } from '../../server/errors/api-error.js';
import type { JsonObject, JsonValue } from '../../xdm/standard/json-value.js';
import type { RegistryView } from './registry.js';
import { tenantDependencies } from './tenant-dependencies.js';
import { tenantPlaceholder, rewriteTenant } from './tenant-rewrite.js';

/** What belongs to the org the resource lives in, not to the resource: an import computes it afresh. */
const orgBound = new Set(['refs', 'imsOrg', 'meta:registryMetadata', 'meta:containerId', 'meta:tenantNamespace']);

/**
 * The export payload of a tenant schema, class, field group or data type: the tenant components it builds on,
 * dependencies first, then the resource itself, with the tenant id replaced by `<XDM_TENANTID_PLACEHOLDER>` so
 * that POST /rpc/import can put any org's tenant id back.
 */
export function exportPayload(registry: RegistryView, idOrAltId: string, tenantId: string): JsonObject[] {
  const entry = registry.find(idOrAltId);
  if (!entry) throw unknownResource(idOrAltId);
  if (entry.container !== 'tenant') {
    throw new ApiError('validation', `${String(entry.doc.$id)} is a standard XDM resource: every sandbox has it, so there is nothing to export. Export the tenant resources that use it.`, {
      problems: [{ in: 'path', path: 'RESOURCE_ID', message: 'is a standard (global) resource' }],
    });
  }
  return [...tenantDependencies(entry.doc, registry), entry.doc].map((doc) => rewriteTenant(portable(doc), tenantId, tenantPlaceholder) as JsonObject);
}

export function unknownResource(id: string): ApiError {
  return new ApiError('notFound', `Requested resource ${id} is not found. Verify the meta:altId or URL-encoded $id, and the org and sandbox headers.`, {
    report: { id },
  });
}

function portable(doc: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(doc)) if (!orgBound.has(key)) out[key] = value as JsonValue;
  return out;
}
