import { useMemo, useState } from 'preact/hooks';

/** The parts of a JSON Schema property (XED full form) the tree shows. */
export interface SchemaProperty {
  type?: string | string[];
  title?: string;
  description?: string;
  format?: string;
  'meta:xdmType'?: string;
  properties?: Record<string, SchemaProperty>;
  items?: SchemaProperty;
}

/** One field of the tree, with its path from the root. */
interface Field {
  name: string;
  path: string;
  type: string;
  title?: string;
  children: Field[];
}

function typeOf(property: SchemaProperty): string {
  const type = property['meta:xdmType'] ?? (Array.isArray(property.type) ? property.type.join(' | ') : property.type) ?? 'any';
  if (type === 'array' && property.items) return `array of ${typeOf(property.items)}`;
  return property.format && type === 'string' && property.format !== 'uri-reference' ? `string (${property.format})` : type;
}

/** A property's fields, an array of objects' being those of its items. */
function fieldsOf(properties: Record<string, SchemaProperty> | undefined, parent: string): Field[] {
  return Object.entries(properties ?? {}).map(([name, property]) => {
    const path = parent === '' ? name : `${parent}.${name}`;
    const inner = property.properties ?? property.items?.properties;
    return { name, path, type: typeOf(property), ...(property.title ? { title: property.title } : {}), children: fieldsOf(inner, path) };
  });
}

/** The fields whose path holds `wanted`, with their ancestors (so a match deep down is shown where it sits). */
function matching(fields: Field[], wanted: string): Field[] {
  return fields.flatMap((field) => {
    const children = matching(field.children, wanted);
    return field.path.toLowerCase().includes(wanted) || children.length > 0 ? [{ ...field, children }] : [];
  });
}

function allPaths(fields: Field[]): string[] {
  return fields.flatMap((f) => (f.children.length > 0 ? [f.path, ...allPaths(f.children)] : []));
}

/**
 * A schema's fields as a tree, with types: objects open and close (a disclosure button each, so the keyboard
 * reaches every one), and a search shows the fields whose path matches, opened.
 */
export function SchemaTree({ properties }: { properties: Record<string, SchemaProperty> | undefined }) {
  const fields = useMemo(() => fieldsOf(properties, ''), [properties]);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [search, setSearch] = useState('');
  const wanted = search.trim().toLowerCase();
  const shown = useMemo(() => (wanted === '' ? fields : matching(fields, wanted)), [fields, wanted]);
  const toggle = (path: string) => {
    const next = new Set(open);
    if (!next.delete(path)) next.add(path);
    setOpen(next);
  };
  if (fields.length === 0) return <p class="empty">The schema has no fields.</p>;
  return (
    <div class="schema-tree">
      <div class="tree-tools">
        <label class="search">
          Find a field
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} placeholder="e.g. product.name" />
        </label>
        <button type="button" class="secondary" onClick={() => setOpen(new Set(allPaths(fields)))}>
          Expand all
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(new Set())}>
          Collapse all
        </button>
      </div>
      {shown.length === 0 ? <p class="empty">No field matches “{search}”.</p> : <FieldList fields={shown} open={open} all={wanted !== ''} toggle={toggle} label="Schema fields" />}
    </div>
  );
}

function FieldList({ fields, open, all, toggle, label }: { fields: Field[]; open: ReadonlySet<string>; all: boolean; toggle: (path: string) => void; label: string }) {
  return (
    <ul aria-label={label}>
      {fields.map((field) => {
        const expanded = field.children.length > 0 && (all || open.has(field.path));
        return (
          <li key={field.path}>
            <div class="field">
              {field.children.length > 0 && !all ? (
                <button type="button" class="toggle" aria-expanded={expanded} onClick={() => toggle(field.path)}>
                  <span class="arrow" aria-hidden="true">
                    {expanded ? '▾' : '▸'}
                  </span>
                  {field.name}
                </button>
              ) : (
                <span class="field-name">
                  {field.children.length > 0 ? (
                    <span class="arrow" aria-hidden="true">
                      ▾
                    </span>
                  ) : null}
                  {field.name}
                </span>
              )}
              <span class="field-type">{field.type}</span>
              {field.title ? <span class="field-title">{field.title}</span> : null}
            </div>
            {expanded ? <FieldList fields={field.children} open={open} all={all} toggle={toggle} label={`Fields of ${field.path}`} /> : null}
          </li>
        );
      })}
    </ul>
  );
}
