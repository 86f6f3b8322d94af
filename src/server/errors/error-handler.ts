import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type FieldProblem } from './api-error.js';
import { errorCatalog, errorCode, type ErrorKey } from './error-catalog.js';
import { GatewayError } from './gateway-error.js';
import { serviceOfUrl, servicePrefixes } from './service-of-url.js';

/** The one place where errors become response bodies. A client mistake is a 4xx; only our own faults are 500. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof GatewayError) {
    return reply.status(error.status).send({ error_code: error.code, message: error.message });
  }
  const apiError = toApiError(error);
  if (!apiError) {
    request.log.error({ err: error }, 'unhandled error');
    return sendServiceError(request, reply, new ApiError('validation', 'x'), {
      status: 500,
      title: 'Internal server error',
      message: 'An unexpected error occurred. The request ID identifies it in the server log.',
      code: `${prefixOf(request.url)}-9999-500`,
    });
  }
  return sendServiceError(request, reply, apiError);
}

export function sendServiceError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: ApiError,
  override?: { status: number; title: string; message: string; code: string },
): FastifyReply {
  const service = serviceOfUrl(request.url);
  const code = override?.code ?? errorCode(error.key, service, prefixOf(request.url));
  const status = override?.status ?? error.status;
  const message = override?.message ?? error.message;
  const report: Record<string, unknown> = {
    'detailed-message': message,
    ...error.report,
    'request-id': request.id,
    timestamp: new Date().toISOString(),
  };
  if (error.problems.length > 0 && !override) report.errors = error.problems;
  if (service === 'schemaregistry') report['sub-errors'] = error.problems;
  return reply
    .status(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({
      type: `https://ns.adobe.com/aep/errors/${code}`,
      title: override?.title ?? errorCatalog[error.key].title,
      status,
      report,
      detail: message,
    });
}

function prefixOf(url: string): string {
  const service = serviceOfUrl(url);
  return service ? servicePrefixes[service] : 'TRIB';
}

function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (!isFastifyError(error)) return undefined;
  if (error.validation) {
    const part = validationPart(error.validationContext);
    const problems: FieldProblem[] = error.validation.map((issue) => ({
      in: part,
      path: fieldPath(issue.instancePath, issue.params),
      message: issue.message ?? 'is invalid',
    }));
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

/** Ajv reports a missing property on its parent; name the property itself. */
function fieldPath(instancePath: string, params: Record<string, unknown>): string {
  const missing = params.missingProperty ?? params.additionalProperty;
  return typeof missing === 'string' ? `${instancePath}/${missing}` : instancePath;
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && ('code' in error || 'validation' in error || 'statusCode' in error);
}
