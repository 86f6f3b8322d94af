import fs from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { toContractError } from '../contract/contract-error.js';
import { isRecord, type JsonRecord } from '../contract/json-record.js';
import { convertSchema, type ConversionContext } from '../contract/schema-converter.js';

/**
 * Checks stand-in responses against Square's official `api.json` (used by the contract test only; the
 * stand-in never reads the spec). The copy in shared/ has two known defects that are fixed in memory:
 * `$ref`s to an external URL inside example values, and a referenced schema that is never defined.
 *
 * The check is stricter than the spec on one point: objects that list their properties reject unknown ones,
 * so a misspelled field in the stand-in fails instead of passing as "additional".
 */
export interface SquareContract {
  /** The 200 response schema's name for `METHOD /path` (the spec's path template), or null. */
  responseSchema(operation: string): string | null;
  /**
   * Violations of the operation's response schema; for a non-200 status the body must also be Square's
   * error envelope (`errors` with at least one Error).
   */
  check(operation: string, status: number, body: unknown): string[];
}

const SPEC_FILE = 'api.json';
const REF_BASE = 'https://contracts.invalid/square-api.json';

export function loadSquareContract(specPath: string): SquareContract {
  const spec = fixKnownDefects(JSON.parse(fs.readFileSync(specPath, 'utf8')) as JsonRecord);
  const ctx: ConversionContext = { refBase: REF_BASE, locations: new WeakMap(), formats: new Set() };
  const schemas = (spec.components as JsonRecord).schemas as JsonRecord;
  const definitions: JsonRecord = {};
  for (const [name, schema] of Object.entries(schemas)) definitions[name] = closeObjects(convertSchema(schema, `#/components/schemas/${name}`, ctx));

  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateSchema: false });
  for (const format of ctx.formats) ajv.addFormat(format, true);
  ajv.addSchema({ $id: REF_BASE, definitions });
  const validators = new Map<string, ValidateFunction>();
  const validatorFor = (name: string): ValidateFunction => {
    let validate = validators.get(name);
    if (!validate) {
      validate = ajv.compile({ $ref: `${REF_BASE}#/definitions/${name}` });
      validators.set(name, validate);
    }
    return validate;
  };
  const paths = spec.paths as JsonRecord;

  const responseSchema = (operation: string): string | null => {
    const [method, path] = operation.split(' ');
    const item = paths[path ?? ''];
    const op = isRecord(item) ? item[(method ?? '').toLowerCase()] : undefined;
    const ref = isRecord(op) ? (((((op.responses as JsonRecord)?.['200'] as JsonRecord)?.content as JsonRecord)?.['application/json'] as JsonRecord)?.schema as JsonRecord)?.$ref : undefined;
    return typeof ref === 'string' ? ref.replace('#/components/schemas/', '') : null;
  };

  const run = (name: string, value: unknown, prefix = ''): string[] => {
    const validate = validatorFor(name);
    if (validate(value)) return [];
    return [...new Set((validate.errors ?? []).map((error) => `${prefix}${toContractError(error, ctx.locations, SPEC_FILE).text}`))];
  };

  return {
    responseSchema,
    check(operation, status, body) {
      const name = responseSchema(operation);
      if (name === null) return [`${operation} has no 200 JSON response schema in ${SPEC_FILE}`];
      const problems = run(name, body);
      if (status !== 200) {
        const errors = isRecord(body) ? body.errors : undefined;
        if (!Array.isArray(errors) || errors.length === 0) problems.push(`(root) a ${status} answer must carry a non-empty \`errors\` list, got ${JSON.stringify(body)}`);
        else errors.forEach((error, index) => problems.push(...run('Error', error, `/errors/${index} `)));
      }
      return problems;
    },
  };
}

/** The two defects of the Square spec copy (shared/reference/payment-apis/README.md), fixed in memory. */
function fixKnownDefects(spec: JsonRecord): JsonRecord {
  const walk = (value: unknown, inExample: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, inExample));
    if (!isRecord(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => (inExample && key === '$ref' ? ['x-ref', item] : [key, walk(item, inExample || key === 'example' || key === 'examples')])),
    );
  };
  const fixed = walk(spec, false) as JsonRecord;
  const schemas = (fixed.components as JsonRecord).schemas as JsonRecord;
  schemas.CatalogModifierToggleOverrideType ??= { type: 'string' };
  return fixed;
}

/**
 * Objects that list their properties get `additionalProperties: false`, in place (spec locations are keyed by
 * node identity). The walk follows schema positions only, so a property that happens to be called
 * `properties` is not mistaken for the keyword.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    schema.forEach(closeObjects);
    return schema;
  }
  if (!isRecord(schema)) return schema;
  if (isRecord(schema.properties)) {
    Object.values(schema.properties).forEach(closeObjects);
    if (schema.additionalProperties === undefined) schema.additionalProperties = false;
  }
  for (const key of ['items', 'additionalProperties', 'anyOf', 'allOf', 'oneOf', 'not']) {
    if (schema[key] !== undefined && typeof schema[key] !== 'boolean') closeObjects(schema[key]);
  }
  return schema;
}
