import type { ErrorObject } from 'ajv';
import { Type, type TBoolean } from 'typebox';

/** Marks a property of a querystring schema as a boolean the validator reads in every spelling clients send. */
const queryBooleanKeyword = 'x-tributary-query-boolean';

const spellings = 'true or false (in any letter case), 1 or 0';

/**
 * A boolean query parameter (`count`, `expandSchema`, `requestDataSource` ...). Query strings are text, and AEP's
 * clients spell booleans differently: Python clients send `True`, others `1`. Every route declares its boolean
 * query parameters with this schema, so all of them accept the same spellings and refuse the rest alike.
 *
 * ```ts
 * const ListQuery = Type.Object({ count: Type.Optional(QueryBoolean({ description: 'Answer only the count.' })) });
 * // ?count=True, ?count=true, ?count=1 → true; ?count=FALSE, ?count=0 → false; ?count=yes → 400 naming /count
 * ```
 */
export function QueryBoolean(options: { description?: string } = {}): TBoolean {
  const description = options.description ? `${options.description} ` : '';
  return Type.Boolean({ ...options, description: `${description}Accepts ${spellings}.`, [queryBooleanKeyword]: true });
}

/** What Fastify calls to validate a request part: true or false, with Ajv's errors on `errors`. */
export type PartValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null | undefined };

/**
 * Wraps the validator of a querystring schema so that its `QueryBoolean` parameters are read before Ajv sees
 * them: `True`, `TRUE`, `1` become true, `False`, `0` false. Ajv's own coercion knows only `true` and `false`.
 * A value that is none of these fails as before, with a message that lists the accepted spellings.
 */
export function acceptingQueryBooleans(schema: unknown, validate: PartValidator): PartValidator {
  const names = queryBooleanNames(schema);
  if (names.length === 0) return validate;
  const paths = new Set(names.map((name) => `/${name}`));
  const check: PartValidator = (data) => {
    if (isObject(data)) {
      for (const name of names) {
        const value = data[name];
        const parsed = typeof value === 'string' ? parseQueryBoolean(value) : undefined;
        if (parsed !== undefined) data[name] = parsed;
      }
    }
    const valid = validate(data);
    check.errors = valid
      ? null
      : (validate.errors ?? []).map((error) => (error.keyword === 'type' && paths.has(error.instancePath) ? { ...error, message: `must be ${spellings}` } : error));
    return valid;
  };
  return check;
}

function parseQueryBoolean(text: string): boolean | undefined {
  switch (text.toLowerCase()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      return undefined;
  }
}

function queryBooleanNames(schema: unknown): string[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  return Object.entries(schema.properties)
    .filter(([, property]) => isObject(property) && property[queryBooleanKeyword] === true)
    .map(([name]) => name);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
