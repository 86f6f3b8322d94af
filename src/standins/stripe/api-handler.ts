import type { StandInHandler, StandInRequest, StandInResponse } from '../standin-server.js';
import type { AccountState } from './account-state.js';
import { authenticate } from './api-key-auth.js';
import { parseFormParams } from './form-params.js';
import { LIST_ENDPOINTS, type ListEndpoint } from './list-endpoints.js';
import { listPage } from './list-paging.js';
import { validateParams, type ParamValue, type Range } from './param-validation.js';
import type { BaseRecord } from './records.js';
import { renderDeletedStub } from './render-objects.js';
import { StripeApiError, invalidRequest, resourceMissing, unrecognizedUrl } from './stripe-errors.js';

/**
 * The HTTP face of the account: authentication, routing to the list and retrieve endpoints, Stripe's parameter
 * rules, and the headers every Stripe answer carries (`Request-Id`, `Stripe-Version`).
 */

export interface ApiHandlerOptions {
  state: AccountState;
  /** The secret keys that authenticate (mutable: a test may roll a key). */
  apiKeys: Set<string>;
  /** Behave like a Stripe-compatible server that ignores `created[...]` on lists: every list is the whole table. */
  ignoreTimeFilters?: boolean;
}

const ENDPOINTS_BY_PATH = new Map(LIST_ENDPOINTS.map((endpoint) => [endpoint.path, endpoint]));

export function createStripeHandler(options: ApiHandlerOptions): StandInHandler {
  const { state } = options;
  let requests = 0;
  return (request: StandInRequest): StandInResponse => {
    requests += 1;
    const headers = {
      'Request-Id': `req_${state.ids.token('http_request', requests, 14)}`,
      'Stripe-Version': headerValue(request.headers['stripe-version']) ?? state.apiVersion,
    };
    try {
      authenticate(request.headers, options.apiKeys);
      return { status: 200, headers, body: route(state, request, options.ignoreTimeFilters ?? false) };
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      const extra: Record<string, string> = error.status === 401 ? { 'WWW-Authenticate': 'Basic realm="Stripe"' } : {};
      return { status: error.status, headers: { ...headers, ...extra }, body: { error: error.body } };
    }
  };
}

function route(state: AccountState, request: StandInRequest, ignoreTimeFilters: boolean): unknown {
  const path = request.url.pathname;
  const match = /^(\/v1\/[a-z_]+)(?:\/([^/]+))?$/.exec(path);
  const endpoint = match ? ENDPOINTS_BY_PATH.get(match[1] as string) : undefined;
  if (!match || !endpoint || request.method !== 'GET') throw unrecognizedUrl(request.method, path);
  const params = parseFormParams(request.url.searchParams);
  const id = match[2];
  if (id !== undefined) {
    validateParams(params, { expand: { type: 'array' } });
    return retrieve(state, endpoint, decodeURIComponent(id));
  }
  return list(state, endpoint, validateParams(params, endpoint.params), ignoreTimeFilters);
}

function retrieve(state: AccountState, endpoint: ListEndpoint, id: string): unknown {
  const record = findRecord(state, endpoint, id);
  if (!record || !endpoint.exists(state, record)) throw resourceMissing(endpoint.objectName, id, 'id', 404);
  if (record.deleted) return renderDeletedStub(state, endpoint.idKind, record.seq);
  return endpoint.render(state, record);
}

function findRecord(state: AccountState, endpoint: ListEndpoint, id: string): BaseRecord | undefined {
  const seq = state.ids.decode(endpoint.idKind, id);
  return seq === null ? undefined : endpoint.table(state).get(seq);
}

function list(state: AccountState, endpoint: ListEndpoint, params: Map<string, ParamValue>, ignoreTimeFilters: boolean): unknown {
  const limit = (params.get('limit') as number | undefined) ?? 10;
  if (limit < 1) throw invalidRequest('This value must be greater than or equal to 1.', 'limit');
  if (limit > 100) throw invalidRequest('This value must be less than or equal to 100.', 'limit');
  if (params.has('starting_after') && params.has('ending_before')) throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.');
  endpoint.crossCheck?.(params);
  const startingAfter = cursor(state, endpoint, params, 'starting_after');
  const endingBefore = cursor(state, endpoint, params, 'ending_before');
  const created: Range = ignoreTimeFilters ? {} : { ...(params.get('created') as Range | undefined) };
  const floor = endpoint.createdFloor?.(state);
  if (floor !== undefined) created.gte = Math.max(created.gte ?? floor, floor);
  const page = listPage(endpoint.table(state), {
    limit,
    startingAfter,
    endingBefore,
    created,
    accept: endpoint.filter(state, params) ?? undefined,
  });
  return { object: 'list', data: page.data.map((record) => endpoint.render(state, record)), has_more: page.hasMore, url: endpoint.path };
}

function cursor(state: AccountState, endpoint: ListEndpoint, params: Map<string, ParamValue>, name: 'starting_after' | 'ending_before'): BaseRecord | undefined {
  const id = params.get(name);
  if (typeof id !== 'string') return undefined;
  const record = findRecord(state, endpoint, id);
  if (!record || !endpoint.exists(state, record)) throw resourceMissing(endpoint.objectName, id, name, 400);
  return record;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
