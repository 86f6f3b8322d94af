import { Type, type TSchema } from 'typebox';
import { errorCatalog, type ErrorKey } from '../errors/error-catalog.js';
import { gatewayErrors } from '../errors/gateway-error.js';

const FieldProblemSchema = Type.Object({
  in: Type.Union([Type.Literal('body'), Type.Literal('query'), Type.Literal('path'), Type.Literal('header')]),
  path: Type.String({ description: 'JSON Pointer into the part named by `in`, or the parameter name' }),
  message: Type.String(),
});

/** The platform's error body (`application/problem+json`), as `handleError` writes it. */
export const ServiceErrorBody = Type.Object(
  {
    type: Type.String({ description: 'https://ns.adobe.com/aep/errors/{code}, the code being {SERVICE}-{number}-{status}', examples: ['https://ns.adobe.com/aep/errors/FLOW-1439-404'] }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    report: Type.Object(
      {
        'detailed-message': Type.String(),
        'request-id': Type.String(),
        timestamp: Type.String({ format: 'date-time' }),
        errors: Type.Optional(Type.Array(FieldProblemSchema, { description: 'Every field at fault, when the request was refused for its content' })),
        'sub-errors': Type.Optional(Type.Array(FieldProblemSchema, { description: 'The same list, under the name Schema Registry clients read' })),
      },
      { additionalProperties: true },
    ),
  },
  { $id: 'ServiceError' },
);

/** What the gateway answers before a request reaches a service. */
export const GatewayErrorBody = Type.Object({ error_code: Type.String(), message: Type.String() }, { $id: 'GatewayError' });

/** Shared schemas the answers below refer to; the app adds them once, and the API reference lists them as components. */
export const errorBodySchemas: TSchema[] = [ServiceErrorBody, GatewayErrorBody];

/** An OpenAPI answer for a Fastify route's `response` map: only documentation (see `documentationOnlySerializer`). */
export interface DocumentedAnswer {
  description: string;
  content: Record<string, { schema: TSchema | { $ref: string } }>;
}

/**
 * Problem answers, one per status, each describing the errors of that status by their titles; the body is the
 * shared schema `schemaId` names (the platform's, or an inlet's Data Collection shape).
 */
export function problemAnswers(errors: readonly { status: number; title: string }[], schemaId: string): Record<number, DocumentedAnswer> {
  const titles = new Map<number, Set<string>>();
  for (const { status, title } of errors) titles.set(status, (titles.get(status) ?? new Set()).add(title));
  const answers: Record<number, DocumentedAnswer> = {};
  for (const [status, set] of titles) {
    answers[status] = { description: [...set].join('; '), content: { 'application/problem+json': { schema: { $ref: `${schemaId}#` } } } };
  }
  return answers;
}

/** The error answers of an operation, from the errors it can raise, e.g. `errorAnswers('notFound', 'etagMismatch')`. */
export function errorAnswers(...keys: ErrorKey[]): Record<number, DocumentedAnswer> {
  return problemAnswers(keys.map((key) => errorCatalog[key]), 'ServiceError');
}

/** The answers every route behind the gateway can give before its service sees the request. */
export function gatewayAnswers(): Record<number, DocumentedAnswer> {
  const messages = new Map<number, string[]>();
  for (const { status, message } of Object.values(gatewayErrors)) {
    if (!messages.get(status)?.includes(message)) messages.set(status, [...(messages.get(status) ?? []), message]);
  }
  const answers: Record<number, DocumentedAnswer> = {};
  for (const [status, list] of messages) {
    answers[status] = { description: `Gateway: ${list.join('; ')}`, content: { 'application/json': { schema: { $ref: 'GatewayError#' } } } };
  }
  return answers;
}

/**
 * Adds answers to a route's `response` map. A status the route already documents keeps its own answer and gains
 * the other's error titles and media types (a 400 can come from the gateway as well as from the service).
 */
export function mergeAnswers(into: Record<string, unknown>, from: Record<number, DocumentedAnswer>): void {
  for (const [status, answer] of Object.entries(from)) {
    const existing = into[status];
    if (existing === undefined) into[status] = { description: answer.description, content: { ...answer.content } };
    else if (isDocumentedAnswer(existing)) {
      existing.description = [...new Set([...existing.description.split('; '), ...answer.description.split('; ')])].join('; ');
      existing.content = { ...answer.content, ...existing.content };
    }
  }
}

function isDocumentedAnswer(value: unknown): value is DocumentedAnswer {
  return typeof value === 'object' && value !== null && 'description' in value && 'content' in value;
}
