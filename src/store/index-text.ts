/**
 * A body's value as an index column's text: a string, unless it holds a NUL character, which PostgreSQL's text
 * cannot store (the body keeps it, as JSON escapes it). Anything else is null: the index reads bodies leniently.
 */
export function indexText(value: unknown): string | null {
  return typeof value === 'string' && !value.includes('\u0000') ? value : null;
}
