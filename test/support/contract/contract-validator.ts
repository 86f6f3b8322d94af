import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { findAllowance, toContractError } from './contract-error.js';
import { escapePointerSegment, isRecord, type JsonRecord } from './json-record.js';
import { isJsonMediaType, selectResponse, type SelectedResponse } from './response-selector.js';
import { convertSchema, type ConversionContext } from './schema-converter.js';
import { services, type Service } from './service.js';
import { specAllowList, type AllowListEntry } from './spec-allow-list.js';
import { sharedDir } from '../shared-reference.js';
import { loadSpec, type LoadedSpec } from './spec-loader.js';
import { describeSpec, type SpecInventory } from './spec-inventory.js';

export type { Service } from './service.js';
export type { SpecInventory } from './spec-inventory.js';

export interface ContractCheck {
  service: Service;
  method: string;
  /** Concrete path below the service base, e.g. `/flows/0c1e...` or `/tenant/schemas/_tenant.schemas.abc`. */
  path: string;
  status: number;
  contentType?: string;
  body: unknown;
}

export interface ContractResult {
  /** e.g. `GET /flows/{FLOW_ID}` as written in the spec; null if the spec has no such path+method. */
  operation: string | null;
  /** False when the spec declares no JSON body schema for this status (nothing to validate). */
  checked: boolean;
  /** Readable `<jsonPointer> <message>` lines; empty means the body conforms. */
  errors: string[];
  /** Errors dropped by `spec-allow-list.ts`, each followed by the reason. */
  allowed: string[];
  /** Which `responses` entry was used (`200`, `2XX`, `default`), or null when the status is not declared. */
  response: string | null;
}

export interface Contracts {
  check(c: ContractCheck): ContractResult;
  /** Per spec: operations and which of them declare a JSON response body schema. */
  inventory(): SpecInventory[];
}

/** Default layout, the same locally and in CI: `<repo>/../shared/reference/aep-specs`. */
export const defaultSpecDir = resolve(sharedDir, 'reference', 'aep-specs');

const cache = new Map<string, Contracts>();

/** Parses the five specs once per directory and caches the result (compiled validators are cached lazily). */
export function loadContracts(specDir: string = defaultSpecDir): Contracts {
  const key = resolve(specDir);
  let contracts = cache.get(key);
  if (contracts === undefined) {
    contracts = new SpecContracts(key, specAllowList);
    cache.set(key, contracts);
  }
  return contracts;
}

// ajv-formats is CommonJS: under NodeNext its default import is the module object, whose `default` is the plugin.
const addFormats = formatsModule.default;

class SpecContracts implements Contracts {
  // verbose: errors carry `parentSchema`, which maps back to a spec location. validateSchema off: the specs are
  // OpenAPI dialects, not draft-07 documents, and a meta-schema complaint would only hide the real response errors.
  private readonly ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateSchema: false });
  private readonly specs = new Map<Service, LoadedSpec>();
  private readonly contexts = new Map<Service, ConversionContext>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(specDir: string, private readonly allowList: readonly AllowListEntry[]) {
    addFormats(this.ajv);
    this.addOpenApiFormats();
    for (const service of services) {
      const spec = loadSpec(specDir, service);
      const ctx: ConversionContext = { refBase: `https://contracts.invalid/${service}.json`, locations: new WeakMap(), formats: new Set() };
      this.ajv.addSchema({ $id: ctx.refBase, definitions: convertNamedSchemas(spec, ctx) });
      this.specs.set(service, spec);
      this.contexts.set(service, ctx);
    }
  }

  check(c: ContractCheck): ContractResult {
    const spec = this.spec(c.service);
    const match = spec.matcher.match(c.method, c.path);
    const operation = match === null ? null : `${c.method.toUpperCase()} ${match.template}`;
    const specOperation = operation === null ? undefined : spec.operations.get(operation);
    const unchecked = { operation, checked: false, errors: [], allowed: [] };
    if (operation === null || specOperation === undefined) return { ...unchecked, response: null };
    const selected = selectResponse(spec, specOperation, c.status, c.contentType);
    if (selected === null || selected.schema === null) return { ...unchecked, response: selected?.key ?? null };
    if (c.contentType !== undefined && !isJsonMediaType(c.contentType)) {
      const text = `(content-type) is '${c.contentType}' but the spec declares a JSON body (${selected.mediaType ?? 'schema'})`;
      return { operation, checked: true, errors: [text], allowed: [], response: selected.key };
    }
    const validate = this.validator(c.service, operation, selected);
    validate(c.body);
    const errors: string[] = [];
    const allowed: string[] = [];
    for (const raw of validate.errors ?? []) {
      const error = toContractError(raw, this.context(c.service).locations, spec.file);
      const entry = findAllowance(this.allowList, c.service, operation, error);
      if (entry === undefined) errors.push(error.text);
      else allowed.push(`${error.text} -- allowed: ${entry.reason}`);
    }
    return { operation, checked: true, errors: unique(errors), allowed: unique(allowed), response: selected.key };
  }

  inventory(): SpecInventory[] {
    return services.map((service) => describeSpec(this.spec(service)));
  }

  private validator(service: Service, operation: string, selected: SelectedResponse): ValidateFunction {
    const key = `${service} ${operation} ${selected.key} ${selected.mediaType ?? ''}`;
    let validate = this.validators.get(key);
    if (validate === undefined) {
      const ctx = this.context(service);
      const schema = convertSchema(selected.schema, selected.location, ctx);
      this.registerUnknownFormats(ctx.formats);
      validate = this.ajv.compile(isRecord(schema) || typeof schema === 'boolean' ? schema : {});
      this.validators.set(key, validate);
    }
    return validate;
  }

  private spec(service: Service): LoadedSpec {
    const spec = this.specs.get(service);
    if (spec === undefined) throw new Error(`Unknown service '${service}'`);
    return spec;
  }

  private context(service: Service): ConversionContext {
    const ctx = this.contexts.get(service);
    if (ctx === undefined) throw new Error(`Unknown service '${service}'`);
    return ctx;
  }

  /** OpenAPI's own formats. int32 is range-checked; the rest only document a storage width. */
  private addOpenApiFormats(): void {
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    for (const name of ['int64', 'float', 'double']) this.ajv.addFormat(name, { type: 'number', validate: () => true });
    for (const name of ['byte', 'binary', 'password']) this.ajv.addFormat(name, true);
  }

  /** The brief: unknown formats are ignored. Registering them as no-ops also keeps Ajv from warning. */
  private registerUnknownFormats(formats: ReadonlySet<string>): void {
    for (const name of formats) if (this.ajv.formats[name] === undefined) this.ajv.addFormat(name, true);
  }
}

function convertNamedSchemas(spec: LoadedSpec, ctx: ConversionContext): JsonRecord {
  const components = spec.doc.components;
  const named = spec.dialect === 'swagger2' ? spec.doc.definitions : isRecord(components) ? components.schemas : undefined;
  const prefix = spec.dialect === 'swagger2' ? '#/definitions/' : '#/components/schemas/';
  const out: JsonRecord = {};
  for (const [name, schema] of Object.entries(isRecord(named) ? named : {})) {
    out[name] = convertSchema(schema, `${prefix}${escapePointerSegment(name)}`, ctx);
  }
  return out;
}

function unique(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}
