/**
 * Whether two JSON values are equal, whatever the order of their object keys: a client that echoes a field back
 * with its keys reordered has not changed it.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const left = Object.entries(a).filter(([, v]) => v !== undefined);
  const right = Object.entries(b).filter(([, v]) => v !== undefined);
  const lookup = new Map(right);
  return left.length === right.length && left.every(([key, value]) => lookup.has(key) && sameJson(value, lookup.get(key)));
}
