/**
 * Text for sorting, matching and messages from any stored JSON value. Never calls a value's own
 * `toString`: stored client JSON may carry a `toString` key that is not a function.
 */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${value}`;
  if (value === null || value === undefined) return '';
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
