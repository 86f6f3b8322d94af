import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { toContractError } from '../contract/contract-error.js';
import { escapePointerSegment, isRecord, type JsonRecord } from '../contract/json-record.js';
import { convertSchema, type ConversionContext } from '../contract/schema-converter.js';

/**
 * Validates the stand-in's responses against PayPal's published OpenAPI files (shared/reference, read only
 * by the contract test). The operation is found by method and path template, the response by status (else
 * `default`), and the body is checked with Ajv against that response's schema.
 *
 * Known gaps between the files and PayPal's real answers are listed in `PAYPAL_SPEC_ALLOWANCES`, each with its
 * evidence; an error one of them covers is reported under `allowed`, never silently dropped.
 */

export const PAYPAL_SPECS = ['catalogs_products_v1', 'reporting_transactions_v1', 'customer_disputes_v1'] as const;
export type PayPalSpec = (typeof PAYPAL_SPECS)[number];

export interface ResponseCheck {
  spec: PayPalSpec;
  method: string;
  /** Concrete path with query, e.g. `/v1/catalogs/products/PROD-1?x=1`. */
  path: string;
  status: number;
  body: unknown;
}

export interface CheckResult {
  /** `GET /v1/catalogs/products/{product_id}`, or null when the spec has no such operation. */
  operation: string | null;
  /** The `responses` key used (`200`, `default`), or null. */
  response: string | null;
  errors: string[];
  /** `<error> -- <allowance id>` for every error a known spec gap explains. */
  allowed: string[];
}

interface Allowance {
  id: string;
  reason: string;
  covers(error: ErrorObject, check: ResponseCheck): boolean;
}

const PAYPAL_OFFSET_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/;

export const PAYPAL_SPEC_ALLOWANCES: readonly Allowance[] = [
  {
    id: 'reporting-time-offset',
    reason:
      'PayPal\'s reporting API writes UTC as "+0000" (captured live responses: "start_date":"2021-07-01T07:00:00+0000", ' +
      '"last_refreshed_datetime":"2023-07-01T04:59:59+0000"), which the spec\'s own date_time pattern (+HH:MM) rejects.',
    covers: (error, check) => check.spec === 'reporting_transactions_v1' && error.keyword === 'pattern' && typeof error.data === 'string' && PAYPAL_OFFSET_TIME.test(error.data),
  },
  {
    id: 'empty-transaction-details',
    reason: 'PayPal answers "transaction_details":[] when nothing matches (captured live responses), although the spec gives the array minItems 1.',
    covers: (error, check) =>
      check.spec === 'reporting_transactions_v1' && error.keyword === 'minItems' && error.instancePath === '/transaction_details' && Array.isArray(error.data) && error.data.length === 0,
  },
];

/**
 * Error bodies PayPal sends that the specs' `error_default` (a oneOf over fixed names and messages) does not
 * list. They are checked against the generic PayPal error schema instead (`#/components/schemas/error` of the
 * disputes spec: `name`, `message`, `debug_id` required, `details[]`, `links[]`).
 */
const UNLISTED_ERRORS: readonly { id: string; reason: string; matches(body: JsonRecord): boolean }[] = [
  {
    id: 'rate-limit-error',
    reason: 'HTTP 429 RATE_LIMIT_REACHED is documented in PayPal\'s API responses reference, not in the per-API files.',
    matches: (b) => b.name === 'RATE_LIMIT_REACHED',
  },
  {
    id: 'resultset-too-large-error',
    reason: 'RESULTSET_TOO_LARGE (with total_items and maximum_items) is what transaction search answers above 10,000 matches; the SDK models it as SearchError.',
    matches: (b) => b.name === 'RESULTSET_TOO_LARGE',
  },
  {
    id: 'data-not-available-error',
    reason: 'INVALID_REQUEST "Data for the given start date is not available." is PayPal\'s answer for a start_date past last_refreshed_datetime (paypal/PayPal-node-SDK#452); its message is not the enum of error_400.',
    matches: (b) => b.name === 'INVALID_REQUEST' && b.message === 'Data for the given start date is not available.',
  },
];

// ajv-formats is CommonJS: under NodeNext its default import is the module object, whose `default` is the plugin.
const addFormats = formatsModule.default;

interface LoadedSpec {
  file: string;
  doc: JsonRecord;
  ctx: ConversionContext;
  operations: { method: string; template: string; regex: RegExp; responses: JsonRecord }[];
}

export class PayPalSpecChecker {
  // PayPal's patterns use identity escapes such as `\!`, which are syntax errors under the `u` flag.
  private readonly ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateSchema: false, unicodeRegExp: false });
  private readonly specs = new Map<PayPalSpec, LoadedSpec>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly genericError: ValidateFunction;
  /** Allowance and unlisted-error ids that some check used, so a test can spot stale entries. */
  readonly used = new Set<string>();

  constructor(specDir: string) {
    addFormats(this.ajv);
    for (const name of PAYPAL_SPECS) this.specs.set(name, this.load(specDir, name));
    const disputes = this.spec('customer_disputes_v1');
    this.genericError = this.compile('customer_disputes_v1', { $ref: '#/components/schemas/error' }, '#/components/schemas/error', disputes.ctx);
  }

  check(c: ResponseCheck): CheckResult {
    const spec = this.spec(c.spec);
    const pathname = c.path.split('?')[0] as string;
    const op = spec.operations.find((o) => o.method === c.method.toLowerCase() && o.regex.test(pathname));
    if (!op) return { operation: null, response: null, errors: [`no operation ${c.method} ${pathname} in ${spec.file}`], allowed: [] };
    const operation = `${c.method.toUpperCase()} ${op.template}`;
    const key = String(c.status) in op.responses ? String(c.status) : 'default' in op.responses ? 'default' : null;
    if (key === null) return { operation, response: null, errors: [`${spec.file} declares no ${c.status} (nor default) response for ${operation}`], allowed: [] };
    const schema = this.responseSchema(spec, op.responses[key]);
    if (schema === undefined) return { operation, response: key, errors: [`${spec.file} declares no JSON body for ${operation} ${key}`], allowed: [] };

    const validateKey = `${c.spec} ${operation} ${key}`;
    let validate = this.validators.get(validateKey);
    if (!validate) {
      validate = this.compile(c.spec, schema, `#/paths/${escapePointerSegment(op.template)}/${op.method}/responses/${key}`, spec.ctx);
      this.validators.set(validateKey, validate);
    }
    validate(c.body);
    const errors: string[] = [];
    const allowed: string[] = [];
    const unlisted = c.status >= 400 && isRecord(c.body) ? UNLISTED_ERRORS.find((u) => u.matches(c.body as JsonRecord)) : undefined;
    if (unlisted && (validate.errors ?? []).length > 0) {
      this.used.add(unlisted.id);
      allowed.push(...(validate.errors ?? []).map((e) => `${this.describe(e, spec)} -- ${unlisted.id}`));
      this.genericError(c.body);
      errors.push(...(this.genericError.errors ?? []).map((e) => `${this.describe(e, this.spec('customer_disputes_v1'))} (generic error schema)`));
    } else {
      for (const error of validate.errors ?? []) {
        const allowance = PAYPAL_SPEC_ALLOWANCES.find((a) => a.covers(error, c));
        if (allowance) {
          this.used.add(allowance.id);
          allowed.push(`${this.describe(error, spec)} -- ${allowance.id}`);
        } else {
          errors.push(this.describe(error, spec));
        }
      }
    }
    return { operation, response: key, errors: [...new Set(errors)], allowed: [...new Set(allowed)] };
  }

  private describe(error: ErrorObject, spec: LoadedSpec): string {
    return toContractError(error, spec.ctx.locations, spec.file).text;
  }

  private spec(name: PayPalSpec): LoadedSpec {
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`unknown spec ${name}`);
    return spec;
  }

  private compile(name: PayPalSpec, schema: unknown, location: string, ctx: ConversionContext): ValidateFunction {
    const converted = convertSchema(schema, location, ctx);
    for (const format of ctx.formats) if (this.ajv.formats[format] === undefined) this.ajv.addFormat(format, true);
    if (!isRecord(converted)) throw new Error(`${name}: response schema at ${location} is not an object`);
    return this.ajv.compile(converted);
  }

  private responseSchema(spec: LoadedSpec, response: unknown): unknown {
    let resolved = response;
    if (isRecord(resolved) && typeof resolved.$ref === 'string') {
      const name = resolved.$ref.replace('#/components/responses/', '');
      const responses = (spec.doc.components as JsonRecord).responses as JsonRecord;
      resolved = responses[name];
    }
    if (!isRecord(resolved) || !isRecord(resolved.content)) return undefined;
    const json = resolved.content['application/json'];
    return isRecord(json) ? json.schema : undefined;
  }

  private load(dir: string, name: PayPalSpec): LoadedSpec {
    const file = `${name}.json`;
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as JsonRecord;
    const ctx: ConversionContext = { refBase: `https://contracts.invalid/paypal/${name}.json`, locations: new WeakMap(), formats: new Set() };
    const schemas = ((doc.components as JsonRecord | undefined)?.schemas ?? {}) as JsonRecord;
    const definitions: JsonRecord = {};
    for (const [schemaName, schema] of Object.entries(schemas)) {
      definitions[schemaName] = convertSchema(schema, `#/components/schemas/${escapePointerSegment(schemaName)}`, ctx);
    }
    this.ajv.addSchema({ $id: ctx.refBase, definitions });
    const operations: LoadedSpec['operations'] = [];
    for (const [template, item] of Object.entries(doc.paths as JsonRecord)) {
      if (!isRecord(item)) continue;
      const regex = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(item)) {
        if (isRecord(op) && isRecord(op.responses)) operations.push({ method, template, regex, responses: op.responses });
      }
    }
    return { file, doc, ctx, operations };
  }
}
