import type { ServiceName } from './service-of-url.js';

/**
 * Every error a client can get from a service. The code on the wire is `{PREFIX}-{number}-{status}`
 * (e.g. FLOW-1403-400); numbers follow AEP's where AEP documents one, otherwise they are ours and stable.
 */
export interface ErrorDefinition {
  status: number;
  title: string;
  number: number;
  /** AEP uses different numbers for the same failure in different services. */
  numberIn?: Partial<Record<ServiceName, number>>;
}

export const errorCatalog = {
  invalidJson: { status: 400, title: 'Malformed JSON', number: 1001 },
  emptyBody: { status: 400, title: 'Empty request body', number: 1405 },
  validation: { status: 400, title: 'Invalid request', number: 1002, numberIn: { schemaregistry: 1010 } },
  unsupportedContentType: { status: 400, title: 'BadRequestError', number: 1003 },
  notFound: { status: 404, title: 'Resource not found', number: 1439, numberIn: { schemaregistry: 1012 } },
  routeNotFound: { status: 404, title: 'Not found', number: 1004 },
  methodNotAllowed: { status: 405, title: 'Method not allowed', number: 1005 },
  conflict: { status: 409, title: 'Conflict', number: 1009, numberIn: { schemaregistry: 1521 } },
  ifMatchMissing: { status: 400, title: 'If-Match header missing', number: 1403 },
  etagMismatch: { status: 412, title: 'Precondition failed', number: 1404 },
  stateNotAllowed: { status: 400, title: 'State not allowed', number: 1410 },
  invalidMappingVersion: { status: 400, title: 'Invalid mapping version', number: 1412 },
  invalidSpec: { status: 400, title: 'Invalid specification', number: 1413 },
  specImmutable: { status: 400, title: 'Connection spec cannot be updated', number: 1414 },
  inUse: { status: 400, title: 'Resource in use', number: 1418, numberIn: { schemaregistry: 1017, catalog: 1418 } },
  mappingInvalid: { status: 400, title: 'Mapping validation failed', number: 1419 },
  schemaMismatch: { status: 400, title: 'Schema mismatch', number: 1425 },
  limitWithCount: { status: 400, title: 'Invalid query', number: 1401 },
  badOrderBy: { status: 400, title: 'Invalid orderby', number: 1432 },
  badFilter: { status: 400, title: 'Invalid property filter', number: 1448 },
  operatorNotImplemented: { status: 400, title: 'Operator not implemented', number: 1440 },
  badContinuationToken: { status: 400, title: 'Invalid continuation token', number: 1449 },
  badPaging: { status: 400, title: 'Invalid paging parameter', number: 1450 },
  patchOpUnsupported: { status: 400, title: 'Unsupported patch operation', number: 1434 },
  patchPathMissing: { status: 400, title: 'Patch path missing', number: 1455 },
  patchFailed: { status: 400, title: 'Patch could not be applied', number: 1456, numberIn: { schemaregistry: 1013 } },
  readOnlyField: { status: 400, title: 'Read-only field', number: 1457 },
  /** A change of where a connection's credentials go (its host) that did not send its secrets again. */
  secretsRequired: { status: 400, title: 'Secrets must be sent again', number: 1458 },
  /** A connection whose credentials would go somewhere other than where they were saved for: nothing is sent. */
  credentialsMoved: { status: 409, title: 'Credentials saved for another destination', number: 1459 },
  sandboxNotFound: { status: 404, title: 'Sandbox not found', number: 2100 },
  acceptMissingVersion: { status: 400, title: 'Accept header version missing', number: 1007 },
  acceptInvalid: { status: 400, title: 'Invalid Accept header', number: 1006 },
  descriptorAcceptInvalid: { status: 400, title: 'Invalid Accept header', number: 1008 },
  notAcceptable: { status: 406, title: 'Not acceptable', number: 1011 },
  incompatibleComponent: { status: 400, title: 'Incompatible component', number: 1014 },
  unknownReference: { status: 400, title: 'Unknown reference', number: 1015 },
  notModifiable: { status: 400, title: 'Resource is read-only', number: 1016 },
  requestTooLarge: { status: 413, title: 'Request too large', number: 1020 },
  /** A chunk's Content-Range reaches past its file's declared size, or past the largest file a batch takes. */
  rangeNotSatisfiable: { status: 416, title: 'Range not satisfiable', number: 1416 },
  breakingChange: { status: 400, title: 'Breaking change', number: 1022 },
  /** An imported resource clashes with one the sandbox has (same title, or same `$id` with other content). */
  importFailed: { status: 400, title: 'Import Resource Failed', number: 3005 },
  /** More requests of a kind at once than the server takes (queries per org or per server); `Retry-After` says when to try again. */
  tooManyRequests: { status: 429, title: 'Too many requests', number: 1429 },
  /** What was asked for existed and has expired (a query's result). */
  gone: { status: 410, title: 'Gone', number: 1460 },
  /** The connection's provider could not be reached or kept failing: the request was fine, the source was not. */
  sourceUnreachable: { status: 502, title: 'Source unreachable', number: 1030 },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorKey = keyof typeof errorCatalog;

export function errorCode(key: ErrorKey, service: ServiceName | undefined, prefix: string): string {
  const definition: ErrorDefinition = errorCatalog[key];
  const number = (service && definition.numberIn?.[service]) ?? definition.number;
  return `${prefix}-${number}-${definition.status}`;
}
