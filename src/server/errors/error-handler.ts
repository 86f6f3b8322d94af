import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type FieldProblem } from './api-error.js';
import { errorCatalog, errorCode, type ErrorKey } from './error-catalog.js';
import { UniqueViolation } from '../../store/unique-violation.js';
import { UnresolvedReferenceError } from '../../xdm/resolve-full.js';
import { GatewayError } from './gateway-error.js';
import { InletError, isInletPath } from './inlet-error.js';
import { validationProblems } from './validation-problems.js';
import { serviceOfUrl, servicePrefixes } from './service-of-url.js';

/** The one place where errors become response bodies. A client mistake is a 4xx; only our own faults are 500. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof GatewayError) {
    return reply.status(error.status).send({ error_code: error.code, message: error.message });
  }
  if (error instanceof InletError) return sendInlet(reply, error);
  const apiError = toApiError(error);
  // An inlet answers in the Data Collection shape whatever went wrong (malformed JSON, a body too large ...).
  if (isInletPath(requestPath(request))) {
    if (!apiError) request.log.error({ err: error }, 'unhandled error');
    const key = apiError?.status === 413 ? 'payloadTooLarge' : apiError?.status === 404 ? 'inletNotFound' : 'invalidRequest';
    if (apiError) return sendInlet(reply, new InletError(key, apiError.message));
    return reply.status(500).send({ type: 'http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet', status: 500, title: 'Internal Server Error', report: { message: `An unexpected error occurred (request ${request.id}).` } });
  }
  const service = serviceOfUrl(requestPath(request));
  // The IMS token endpoint answers in OAuth's shape, like Adobe IMS, whatever went wrong.
  if (requestPath(request).startsWith('/ims/')) {
    if (!apiError) request.log.error({ err: error }, 'unhandled error');
    return reply.status(apiError?.status ?? 500).send({ error: apiError ? 'invalid_request' : 'server_error', error_description: apiError?.message ?? 'unexpected error' });
  }
  if (!apiError) {
    // Our fault, not the client's: log the cause, tell the client only the request id.
    request.log.error({ err: error }, 'unhandled error');
    return send(request, reply, {
      code: `${prefixOf(request)}-9999-500`,
      status: 500,
      title: 'Internal server error',
      message: 'An unexpected error occurred. The request ID identifies it in the server log.',
      report: {},
      problems: [],
    });
  }
  void reply.headers(apiError.headers);
  return send(request, reply, {
    code: errorCode(apiError.key, service, prefixOf(request)),
    status: apiError.status,
    title: errorCatalog[apiError.key].title,
    message: apiError.message,
    report: apiError.report,
    problems: apiError.problems,
  });
}

function sendInlet(reply: FastifyReply, error: InletError): FastifyReply {
  return reply
    .status(error.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ type: error.type, status: error.status, title: error.title, report: { message: error.message, ...(error.details ? { cause: error.details } : {}) } });
}

interface ServiceErrorBody {
  code: string;
  status: number;
  title: string;
  message: string;
  report: Record<string, unknown>;
  problems: FieldProblem[];
}

/** The body of a client error nested in another answer (a sub-request of Catalog's batched requests). */
export function clientErrorBody(error: ApiError, request: FastifyRequest): Record<string, unknown> {
  return errorBody(request, {
    code: errorCode(error.key, serviceOfUrl(requestPath(request)), prefixOf(request)),
    status: error.status,
    title: errorCatalog[error.key].title,
    message: error.message,
    report: error.report,
    problems: error.problems,
  });
}

function send(request: FastifyRequest, reply: FastifyReply, error: ServiceErrorBody): FastifyReply {
  return reply.status(error.status).header('content-type', 'application/problem+json; charset=utf-8').send(errorBody(request, error));
}

function errorBody(request: FastifyRequest, error: ServiceErrorBody): Record<string, unknown> {
  const report: Record<string, unknown> = {
    'detailed-message': error.message,
    ...error.report,
    'request-id': request.id,
    timestamp: new Date().toISOString(),
  };
  if (error.problems.length > 0) report.errors = error.problems;
  // The registry's clients read `sub-errors`.
  if (serviceOfUrl(requestPath(request)) === 'schemaregistry') report['sub-errors'] = error.problems;
  return { type: `https://ns.adobe.com/aep/errors/${error.code}`, title: error.title, status: error.status, report, detail: error.message };
}

function prefixOf(request: FastifyRequest): string {
  const service = serviceOfUrl(requestPath(request));
  return service ? servicePrefixes[service] : 'TRIB';
}

/** The matched route pattern, or the decoded path for requests no route matched. */
function requestPath(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (pattern) return pattern;
  const path = request.url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  // A stored component whose reference no longer resolves: the client asked for something inconsistent.
  if (error instanceof UnresolvedReferenceError) return new ApiError('unknownReference', error.message);
  // Two concurrent creates raced past the service's own check; the database kept one.
  if (error instanceof UniqueViolation) return new ApiError('conflict', `Another ${error.kind.replace(/^\w+\./, '')} with the same name "${error.uniqueKey ?? ''}" already exists in this sandbox.`);
  if (!isFastifyError(error)) return undefined;
  if (error.validation) {
    const problems = validationProblems(error.validation, validationPart(error.validationContext));
    return new ApiError('validation', problems.map((p) => `${p.in} ${p.path || '/'} ${p.message}`).join('; '), { problems });
  }
  const byCode: Record<string, [ErrorKey, string]> = {
    FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupportedContentType', 'A valid content-type must be specified'],
    FST_ERR_CTP_INVALID_TYPE: ['unsupportedContentType', 'A valid content-type must be specified'],
    FST_ERR_CTP_EMPTY_JSON_BODY: ['emptyBody', 'The request body is empty; a JSON body is required'],
    FST_ERR_CTP_BODY_TOO_LARGE: ['requestTooLarge', 'The request body is larger than the server accepts'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalidJson', 'The Content-Length header does not match the body'],
  };
  const mapped = error.code ? byCode[error.code] : undefined;
  if (mapped) return new ApiError(mapped[0], mapped[1]);
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError('validation', error.message);
  }
  return undefined;
}

function validationPart(context: string | undefined): FieldProblem['in'] {
  if (context === 'querystring') return 'query';
  if (context === 'params') return 'path';
  if (context === 'headers') return 'header';
  return 'body';
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && ('code' in error || 'validation' in error || 'statusCode' in error);
}
