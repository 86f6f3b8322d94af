import { escapePointerSegment, isRecord, type JsonRecord } from './json-record.js';
import { resolveLocalRef, type LoadedSpec, type SpecOperation } from './spec-loader.js';

/** The response entry of an operation that applies to one status code. */
export interface SelectedResponse {
  /** Key in `responses`: the exact status, `2XX`-style range, or `default`. */
  readonly key: string;
  /** Media type whose schema was picked (Swagger 2 has one schema per response, reported as null). */
  readonly mediaType: string | null;
  /** The raw (unconverted) body schema, or null when the spec declares no JSON body for this response. */
  readonly schema: unknown;
  /** Location of `schema` in the spec file. */
  readonly location: string;
}

/** True for `application/json`, `application/vnd.adobe.xed+json; version=1`, `application/problem+json`... */
export function isJsonMediaType(mediaType: string): boolean {
  const base = baseMediaType(mediaType);
  return base === 'application/json' || base.endsWith('+json') || base.endsWith('/json');
}

export function baseMediaType(mediaType: string): string {
  return (mediaType.split(';', 1)[0] ?? '').trim().toLowerCase();
}

export function selectResponse(
  spec: LoadedSpec,
  operation: SpecOperation,
  status: number,
  contentType: string | undefined,
): SelectedResponse | null {
  const key = responseKey(operation.responses, status);
  if (key === null) return null;
  let response = operation.responses[key];
  if (isRecord(response) && typeof response.$ref === 'string') response = resolveLocalRef(spec.doc, response.$ref);
  const location = `${operation.location}/responses/${escapePointerSegment(key)}`;
  if (!isRecord(response)) return { key, mediaType: null, schema: null, location };
  if (spec.dialect === 'swagger2') {
    return { key, mediaType: null, schema: response.schema ?? null, location: `${location}/schema` };
  }
  const content = isRecord(response.content) ? response.content : {};
  const mediaType = pickMediaType(content, contentType);
  if (mediaType === null) return { key, mediaType: null, schema: null, location };
  const media = content[mediaType];
  const schema = isRecord(media) ? (media.schema ?? null) : null;
  return { key, mediaType, schema, location: `${location}/content/${escapePointerSegment(mediaType)}/schema` };
}

function responseKey(responses: JsonRecord, status: number): string | null {
  const exact = String(status);
  if (exact in responses) return exact;
  const range = `${exact.charAt(0)}XX`;
  const rangeKey = Object.keys(responses).find((key) => key.toUpperCase() === range);
  if (rangeKey !== undefined) return rangeKey;
  return 'default' in responses ? 'default' : null;
}

/** The media type the server answered with if the spec lists it, else `application/json`, else the first JSON-ish one. */
function pickMediaType(content: JsonRecord, contentType: string | undefined): string | null {
  const declared = Object.keys(content);
  if (contentType !== undefined) {
    const wanted = baseMediaType(contentType);
    const same = declared.find((candidate) => baseMediaType(candidate) === wanted);
    if (same !== undefined) return same;
  }
  return (
    declared.find((candidate) => baseMediaType(candidate) === 'application/json') ??
    declared.find(isJsonMediaType) ??
    null
  );
}
