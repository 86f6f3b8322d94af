import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { isRecord, type JsonRecord } from './json-record.js';
import { PathMatcher } from './path-matcher.js';
import { baseMediaType } from './response-selector.js';

const addFormats = formatsModule as unknown as (ajv: Ajv) => Ajv;

export interface OwnAnswer {
  method: string;
  /** The request path, with or without a query. */
  path: string;
  status: number;
  contentType: string;
  body: unknown;
}

/**
 * The server's own API reference (`/openapi.json`) as a contract: an answer must be one its operation documents,
 * with a body its schema accepts. Operations that document no success answer yet are not checked; the API
 * reference test lists them.
 */
export class OwnDocument {
  private readonly matcher: PathMatcher;
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: JsonRecord) {
    const paths = isRecord(document.paths) ? document.paths : {};
    this.matcher = new PathMatcher(
      Object.entries(paths).map(([template, item]) => ({ template, methods: new Set(isRecord(item) ? Object.keys(item) : []) })),
      '',
    );
  }

  static async fetch(baseUrl: string): Promise<OwnDocument> {
    const response = await fetch(`${baseUrl}/openapi.json`);
    return new OwnDocument((await response.json()) as JsonRecord);
  }

  /** Readable problems with the answer; empty when the reference describes it. */
  check(answer: OwnAnswer): string[] {
    const match = this.matcher.match(answer.method, answer.path);
    if (!match) return [];
    const operation = this.operation(match.template, answer.method);
    const responses = isRecord(operation?.responses) ? operation.responses : {};
    if (!Object.keys(responses).some((status) => /^2/.test(status) && isRecord(responses[status]) && responses[status].content !== undefined)) return [];
    const response = responses[String(answer.status)] ?? responses.default;
    if (!isRecord(response)) return [`own reference: ${answer.method} ${match.template} documents no ${answer.status} answer`];
    const content = isRecord(response.content) ? response.content : undefined;
    if (answer.body === undefined || !content) return [];
    const mediaType = baseMediaType(answer.contentType);
    const media = content[mediaType] ?? content[Object.keys(content).find((key) => baseMediaType(key) === mediaType) ?? ''];
    if (!isRecord(media)) return [`own reference: ${answer.method} ${match.template} ${answer.status} documents ${Object.keys(content).join(', ')}, not ${mediaType}`];
    if (media.schema === undefined) return [];
    const key = `${answer.method.toLowerCase()} ${match.template} ${answer.status} ${mediaType}`;
    const validate = this.validator(key, media.schema);
    if (validate(answer.body)) return [];
    return (validate.errors ?? []).slice(0, 5).map((error) => `own reference: ${key}: ${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  }

  private operation(template: string, method: string): JsonRecord | undefined {
    const paths = this.document.paths as JsonRecord;
    const item = paths[template];
    const operation = isRecord(item) ? item[method.toLowerCase()] : undefined;
    return isRecord(operation) ? operation : undefined;
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      // The document's components sit beside the schema, so `#/components/schemas/...` references resolve.
      validate = this.ajv.compile({ ...(schema as JsonRecord), components: this.document.components });
      this.validators.set(key, validate);
    }
    return validate;
  }
}
