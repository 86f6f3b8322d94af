/**
 * Values at a dotted path such as `transformations[].params.mappingId` or `metrics.statusSummary.status`.
 * Arrays are walked through whether or not the path marks them with `[]`, as AEP's filters do.
 */
export function valuesAt(value: unknown, path: string): unknown[] {
  const segments = path.split('.').map((s) => s.replace(/\[\]$/, '')).filter((s) => s !== '');
  let current: unknown[] = [value];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const item of current.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
      if (item !== null && typeof item === 'object' && segment in item) {
        next.push((item as Record<string, unknown>)[segment]);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}
