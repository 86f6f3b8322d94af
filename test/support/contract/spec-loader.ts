import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { escapePointerSegment, isRecord, type JsonRecord } from './json-record.js';
import { PathMatcher, type PathTemplate } from './path-matcher.js';
import { specFileByService, type Service } from './service.js';
import { applySpecFixUps } from './spec-fix-ups.js';

export type SpecDialect = 'openapi3' | 'swagger2';

export interface SpecOperation {
  /** `'METHOD /template'` with the template exactly as the spec writes it. */
  readonly operation: string;
  readonly responses: JsonRecord;
  /** Location of the operation in the spec file, e.g. `#/paths/~1flows/get`. */
  readonly location: string;
}

export interface LoadedSpec {
  readonly service: Service;
  readonly file: string;
  readonly dialect: SpecDialect;
  readonly doc: JsonRecord;
  /** Gateway path prefix such as `/data/foundation/flowservice`; stripped when a caller passes the full path. */
  readonly basePath: string;
  readonly operations: ReadonlyMap<string, SpecOperation>;
  readonly matcher: PathMatcher;
  /** Named fix-up id -> number of places it changed, so tests can show the spec was patched. */
  readonly fixUps: Readonly<Record<string, number>>;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

export function loadSpec(specDir: string, service: Service): LoadedSpec {
  const file = specFileByService[service];
  const doc: unknown = parse(readFileSync(join(specDir, file), 'utf8'));
  if (!isRecord(doc)) throw new Error(`${file}: not a YAML mapping`);
  const fixUps = applySpecFixUps(service, doc);
  const dialect = dialectOf(doc, file);
  const paths = isRecord(doc.paths) ? doc.paths : {};
  const operations = new Map<string, SpecOperation>();
  const templates: PathTemplate[] = [];
  for (const [template, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    const methods = Object.keys(item).filter((key) => HTTP_METHODS.has(key));
    templates.push({ template, methods: new Set(methods) });
    for (const method of methods) {
      const definition = item[method];
      const operation = `${method.toUpperCase()} ${template}`;
      operations.set(operation, {
        operation,
        responses: isRecord(definition) && isRecord(definition.responses) ? definition.responses : {},
        location: `#/paths/${escapePointerSegment(template)}/${method}`,
      });
    }
  }
  const basePath = basePathOf(doc, dialect);
  return { service, file, dialect, doc, basePath, operations, matcher: new PathMatcher(templates, basePath), fixUps };
}

function dialectOf(doc: JsonRecord, file: string): SpecDialect {
  if (typeof doc.openapi === 'string' && doc.openapi.startsWith('3.')) return 'openapi3';
  if (doc.swagger === '2.0') return 'swagger2';
  throw new Error(`${file}: neither OpenAPI 3.x nor Swagger 2.0`);
}

function basePathOf(doc: JsonRecord, dialect: SpecDialect): string {
  if (dialect === 'swagger2') return typeof doc.basePath === 'string' ? doc.basePath.replace(/\/+$/, '') : '';
  const first: unknown = Array.isArray(doc.servers) ? doc.servers[0] : undefined;
  const url = isRecord(first) && typeof first.url === 'string' ? first.url : '';
  // Servers are scheme-relative (`//{environment}.adobe.io/data/foundation/...`): keep only the path.
  return url.replace(/^([a-z][a-z0-9+.-]*:)?\/\/[^/]*/i, '').replace(/\/+$/, '');
}

/** Resolves a local `#/...` pointer, used for response objects given by `$ref`. */
export function resolveLocalRef(doc: JsonRecord, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isRecord(node) ? node[segment] : Array.isArray(node) ? node[Number(segment)] : undefined;
  }
  return node;
}
