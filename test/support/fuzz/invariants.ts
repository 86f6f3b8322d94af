import type { FuzzRequest, FuzzResponse } from './http.js';

/** One broken invariant, with the request that broke it. */
export interface Violation {
  /** Route + status + error type: the same bug found by many cases counts once. */
  key: string;
  route: string;
  status: number;
  errorType: string;
  problem: string;
  request: FuzzRequest;
  response: FuzzResponse;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function parse(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

/** AEP's gateway errors: `{error_code, message}`. */
function isGatewayShape(body: Json | undefined): boolean {
  return isObject(body) && typeof body.error_code === 'string' && typeof body.message === 'string';
}

/** AEP's service errors (RFC 7807 style): `{type, title, status, report: {detailed-message}, detail}`. */
function serviceShapeProblem(body: Json | undefined, status: number): string | undefined {
  if (!isObject(body)) return 'the body is not a JSON object';
  const missing = ['type', 'title', 'detail'].filter((k) => typeof body[k] !== 'string');
  if (missing.length > 0) return `${missing.join(', ')} missing or not strings`;
  if (body.status !== status) return `"status" is ${JSON.stringify(body.status)} but the HTTP status is ${status}`;
  if (!isObject(body.report) || typeof body.report['detailed-message'] !== 'string') return 'report["detailed-message"] is missing';
  return undefined;
}

/**
 * Adobe IMS answers its token endpoint with OAuth's `{error, error_description}`, not an AEP shape; the
 * server copies IMS (its route declares that response schema), so that shape is right there and only there.
 */
function isImsShape(body: Json | undefined, route: string): boolean {
  return route.endsWith(' /ims/token/v3') && isObject(body) && typeof body.error === 'string' && typeof body.error_description === 'string';
}

/**
 * AEP's streaming inlets (Data Collection Core Service) answer in their own problem shape, `{type, status,
 * title, report: {message}}` (docs ingestion/quality/streaming-validation.md), there and only there.
 */
function isInletShape(body: Json | undefined, route: string, status: number): boolean {
  return / \/(data\/foundation\/import\/)?collection\//.test(route) && isObject(body) && typeof body.type === 'string' && body.status === status && typeof body.title === 'string' && isObject(body.report) && typeof body.report.message === 'string';
}

/** What kind of error a response is, for de-duplication: the AEP code, the gateway code, or the IMS error. */
export function errorTypeOf(response: FuzzResponse): string {
  const body = parse(response.text);
  if (isObject(body)) {
    if (typeof body.type === 'string') return body.type.replace(/^https:\/\/ns\.adobe\.com\/aep\/errors\//, '');
    if (typeof body.error_code === 'string') return `gateway:${body.error_code}`;
    // Fastify's own error body, `{statusCode, code?, error, message}`: it means the AEP error handler was bypassed.
    if (typeof body.statusCode === 'number') return `fastify:${typeof body.code === 'string' ? body.code : String(body.error)}`;
    if (typeof body.error === 'string') return `ims:${body.error}`;
  }
  return response.text === '' ? 'empty-body' : 'unshaped';
}

/**
 * The two invariants: never 5xx; a 4xx is in an AEP error shape and (`stateChange`, computed by the caller
 * from store snapshots) leaves the stored data alone. Returns undefined when the response is fine.
 */
export function checkResponse(route: string, request: FuzzRequest, response: FuzzResponse, stateChange: string | undefined): Violation | undefined {
  const { status } = response;
  const violation = (problem: string, errorType = errorTypeOf(response)): Violation => ({
    key: `${route} ${status} ${errorType}`,
    route,
    status,
    errorType,
    problem,
    request,
    response,
  });
  if (status >= 500) return violation(`answered ${status}: a client mistake must be a 4xx`);
  if (status < 400) return undefined;
  if (stateChange !== undefined) return violation(`rejected with ${status} but changed stored data: ${stateChange}`, `state-changed:${errorTypeOf(response)}`);
  // HEAD answers carry no body, so only their status can be judged.
  if (request.method === 'HEAD') return undefined;
  const body = parse(response.text);
  if (isGatewayShape(body) || isImsShape(body, route) || isInletShape(body, route, status)) return undefined;
  const problem = serviceShapeProblem(body, status);
  return problem === undefined ? undefined : violation(`a ${status} not in AEP's gateway or service error shape: ${problem}`);
}
