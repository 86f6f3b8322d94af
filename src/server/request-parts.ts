import { Type } from 'typebox';

/** The `:id` path parameter most resources are addressed by. */
export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });

/** One header's value; repeated headers count by their first value, blank ones as absent. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}
