/**
 * Parses Stripe's form-style query strings into a tree: `created[gte]=1`, `types[0]=a`, `types[]=a`,
 * `recurring[interval]=month` (the `stripe` SDK writes arrays with indices, curl users often with `[]`).
 */

export interface ParamNode {
  /** The value when the key ended here (`limit=5`). */
  value?: string;
  /** Bracketed children in order of appearance (`created[gte]` → child `gte`). */
  children?: Map<string, ParamNode>;
}

export function parseFormParams(search: URLSearchParams): Map<string, ParamNode> {
  const root = new Map<string, ParamNode>();
  for (const [rawKey, value] of search) {
    const segments = splitKey(rawKey);
    let level = root;
    let node: ParamNode | undefined;
    segments.forEach((segment, index) => {
      // `types[]` appends: give each occurrence its own index.
      const key = segment === '' && index > 0 ? String(level.size) : segment;
      node = level.get(key);
      if (!node) {
        node = {};
        level.set(key, node);
      }
      if (index < segments.length - 1) {
        node.children ??= new Map();
        level = node.children;
      }
    });
    if (node) node.value = value;
  }
  return root;
}

/** `a[b][c]` → ['a', 'b', 'c']; a key without brackets is one segment. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0 || !key.endsWith(']')) return [key];
  const segments = [key.slice(0, open)];
  const rest = key.slice(open);
  const pattern = /\[([^[\]]*)\]/g;
  let consumed = 0;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    if (match.index !== consumed) return [key];
    segments.push(match[1] ?? '');
    consumed = match.index + match[0].length;
  }
  return consumed === rest.length ? segments : [key];
}

/** How a node was written, for error messages (`created[foo]`). */
export function paramPath(parent: string, child: string): string {
  return `${parent}[${child}]`;
}
