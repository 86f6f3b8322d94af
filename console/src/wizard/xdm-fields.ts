import { request, type Scope } from '../api/client.js';

interface XdmProperty {
  type?: string;
  format?: string;
  title?: string;
  properties?: Record<string, XdmProperty>;
  items?: XdmProperty;
}

/** A field the mapping can write: its dotted XDM path and type. */
export interface XdmField {
  path: string;
  type: string;
}

/** The schema's fields that hold values (not objects), as dotted paths, from its xed-full form. */
export async function readXdmFields(scope: Scope, schemaId: string, signal?: AbortSignal): Promise<XdmField[]> {
  const schema = await request<{ properties?: Record<string, XdmProperty> }>(scope, 'GET', `/data/foundation/schemaregistry/tenant/schemas/${encodeURIComponent(schemaId)}`, {
    ...(signal ? { signal } : {}),
    accept: 'application/vnd.adobe.xed-full+json; version=1',
  });
  const fields: XdmField[] = [];
  const walk = (properties: Record<string, XdmProperty>, prefix: string, depth: number) => {
    // A bound on nesting: XDM schemas are a few levels deep, a cycle would be a broken schema.
    if (depth > 12) return;
    for (const [name, property] of Object.entries(properties)) {
      const path = prefix ? `${prefix}.${name}` : name;
      if (property.type === 'object' && property.properties) walk(property.properties, path, depth + 1);
      else fields.push({ path, type: property.format ? `${property.type ?? 'any'} (${property.format})` : property.type ?? 'any' });
    }
  };
  walk(schema.properties ?? {}, '', 0);
  return fields.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The field a source column most likely maps to, ignoring case and punctuation: the whole path (`_id`), then a
 * path that ends with the column's name (`Product_Name` → `_tenant.product.name`), then the last segment alone.
 */
export function matchByName(column: string, fields: readonly XdmField[]): XdmField | undefined {
  const plain = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  const wanted = plain(column);
  if (wanted === '') return undefined;
  const last = (field: XdmField) => plain(field.path.split('.').pop() ?? '');
  return fields.find((f) => plain(f.path) === wanted) ?? fields.find((f) => plain(f.path).endsWith(wanted)) ?? fields.find((f) => last(f) === wanted);
}
