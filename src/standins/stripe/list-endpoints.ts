import { EVENT_RETENTION_SECONDS, type AccountState } from './account-state.js';
import type { IdKind } from './ids.js';
import { invalidRequest } from './stripe-errors.js';
import { inRange, type ParamSpec, type ParamValue, type Range } from './param-validation.js';
import type { RecordTable } from './record-table.js';
import type { BaseRecord, EventRecord, ResourceKind, ResourceRecords } from './records.js';
import { renderEvent, renderRecord } from './render-objects.js';

/**
 * The list endpoints the stand-in serves, each with the parameters its spec (2022) and the current SDK types
 * (2026) accept, and how each filter applies. Filters that name an object by id match nothing when the id is
 * not one of this account's.
 */

type Json = Record<string, unknown>;
type Params = ReadonlyMap<string, ParamValue>;
/** A record filter; declared through a method so endpoints of different record types fit one list. */
type Accept<R> = { accept(record: R): boolean }['accept'];

export interface ListEndpoint<R extends BaseRecord = BaseRecord> {
  path: string;
  idKind: IdKind;
  /** The name in "No such <name>: 'id'". */
  objectName: string;
  params: Readonly<Record<string, ParamSpec>>;
  table(state: AccountState): RecordTable<R>;
  render(state: AccountState, record: R): Json;
  /** Filters from the parsed parameters; null: no filter beyond `created`. */
  filter(state: AccountState, params: Params): Accept<R> | null;
  /** Whether an existing record can be retrieved (and used as a cursor). */
  exists(state: AccountState, record: R): boolean;
  /** What retrieving a deleted record answers: Stripe's deleted stub (customers) or 404. */
  deletedRetrieval: 'stub' | 'missing';
  /** Extra lower bound on `created` (events: retention). */
  createdFloor?(state: AccountState): number;
  /** Rules across parameters (events: `type` or `types`, not both). */
  crossCheck?(params: Params): void;
}

export const COMMON_LIST_PARAMS: Readonly<Record<string, ParamSpec>> = {
  limit: { type: 'integer' },
  starting_after: { type: 'string' },
  ending_before: { type: 'string' },
  expand: { type: 'array' },
  created: { type: 'range' },
};

const COLLECTION_METHODS = ['charge_automatically', 'send_invoice'] as const;

function resource<K extends ResourceKind>(
  kind: K,
  path: string,
  params: Readonly<Record<string, ParamSpec>>,
  filter: (state: AccountState, params: Params) => Accept<ResourceRecords[K]> | null,
  deletedRetrieval: 'stub' | 'missing' = 'missing',
): ListEndpoint<ResourceRecords[K]> {
  return {
    path,
    idKind: kind,
    objectName: kind,
    params: { ...COMMON_LIST_PARAMS, ...params },
    table: (state) => state.tables[kind] as unknown as RecordTable<ResourceRecords[K]>,
    render: (state, record) => renderRecord(state, kind, record),
    filter,
    exists: (_state, record) => !record.deleted || deletedRetrieval === 'stub',
    deletedRetrieval,
  };
}

/** Combines filters; null entries are skipped, and no filter at all is null. */
function all<R>(...filters: (Accept<R> | null)[]): Accept<R> | null {
  const active = filters.filter((f): f is Accept<R> => f !== null);
  if (active.length === 0) return null;
  if (active.length === 1) return active[0] as Accept<R>;
  return (record) => active.every((f) => f(record));
}

/** A filter on a reference held as a sequence number, given as an id in the request. */
function byRef<R>(state: AccountState, params: Params, name: string, kind: IdKind, pick: (record: R) => number): Accept<R> | null {
  const value = params.get(name);
  if (typeof value !== 'string') return null;
  const seq = state.ids.decode(kind, value);
  if (seq === null) return () => false;
  return (record) => pick(record) === seq;
}

function byValue<R>(params: Params, name: string, pick: (record: R) => unknown): Accept<R> | null {
  const value = params.get(name);
  if (value === undefined) return null;
  return (record) => pick(record) === value;
}

function byRange<R>(params: Params, name: string, pick: (record: R) => number): Accept<R> | null {
  const range = params.get(name) as Range | undefined;
  if (range === undefined) return null;
  return (record) => inRange(pick(record), range);
}

/** A test clock filter: this account has no test clocks, so any id names a missing one. */
function noTestClocks<R>(params: Params): Accept<R> | null {
  return params.has('test_clock') ? () => false : null;
}

export const charges = resource('charge', '/v1/charges', { customer: { type: 'string' }, payment_intent: { type: 'string' }, transfer_group: { type: 'string' } }, (state, params) =>
  all(
    byRef(state, params, 'customer', 'customer', (c) => c.customer),
    byRef(state, params, 'payment_intent', 'payment_intent', (c) => c.paymentIntent),
    // No charge of the stand-in has a transfer group.
    params.has('transfer_group') ? () => false : null,
  ),
);

export const customers = resource(
  'customer',
  '/v1/customers',
  { email: { type: 'string', maxLength: 512 }, test_clock: { type: 'string' } },
  (_state, params) => all(byValue(params, 'email', (c) => c.email), noTestClocks(params)),
  'stub',
);

export const invoices = resource(
  'invoice',
  '/v1/invoices',
  {
    collection_method: { type: 'enum', values: COLLECTION_METHODS },
    customer: { type: 'string' },
    customer_account: { type: 'string' },
    due_date: { type: 'range' },
    status: { type: 'enum', values: ['draft', 'open', 'paid', 'uncollectible', 'void'] },
    subscription: { type: 'string' },
  },
  (state, params) =>
    all(
      byValue(params, 'collection_method', (i) => i.collectionMethod),
      byRef(state, params, 'customer', 'customer', (i) => i.customer),
      params.has('customer_account') ? () => false : null,
      byRange(params, 'due_date', (i) => i.dueDate),
      params.has('due_date') ? (i) => i.dueDate > 0 : null,
      byValue(params, 'status', (i) => i.status),
      byRef(state, params, 'subscription', 'subscription', (i) => i.subscription),
    ),
);

export const paymentIntents = resource('payment_intent', '/v1/payment_intents', { customer: { type: 'string' }, customer_account: { type: 'string' } }, (state, params) =>
  all(
    byRef(state, params, 'customer', 'customer', (p) => p.customer),
    params.has('customer_account') ? () => false : null,
  ),
);

export const refunds = resource('refund', '/v1/refunds', { charge: { type: 'string' }, payment_intent: { type: 'string' } }, (state, params) =>
  all(
    byRef(state, params, 'charge', 'charge', (r) => r.charge),
    byRef(state, params, 'payment_intent', 'payment_intent', (r) => r.paymentIntent),
  ),
);

export const balanceTransactions = resource(
  'balance_transaction',
  '/v1/balance_transactions',
  { currency: { type: 'string' }, payout: { type: 'string' }, source: { type: 'string' }, type: { type: 'string' } },
  (state, params) => {
    const payoutId = params.get('payout');
    let payoutFilter: Accept<ResourceRecords['balance_transaction']> | null = null;
    if (typeof payoutId === 'string') {
      const seq = state.ids.decode('payout', payoutId);
      const payout = seq === null ? undefined : state.tables.payout.get(seq);
      // An automatic payout pays out what was booked since the previous one; the payout's own entry belongs to it too.
      payoutFilter = !payout?.automatic
        ? () => false
        : (b) => (b.sourceKind === 'payout' ? b.sourceSeq === payout.seq : b.created >= payout.coversFrom && b.created < payout.created);
    }
    const source = params.get('source');
    const sourceKind = typeof source === 'string' ? state.ids.kindOf(source) : null;
    const sourceSeq = typeof source === 'string' && sourceKind ? state.ids.decode(sourceKind, source) : null;
    return all(
      byValue(params, 'currency', (b) => b.currency),
      byValue(params, 'type', (b) => b.type),
      typeof source === 'string' ? (b) => sourceSeq !== null && b.sourceKind === sourceKind && b.sourceSeq === sourceSeq : null,
      payoutFilter,
    );
  },
);

export const disputes = resource('dispute', '/v1/disputes', { charge: { type: 'string' }, payment_intent: { type: 'string' } }, (state, params) =>
  all(
    byRef(state, params, 'charge', 'charge', (d) => d.charge),
    byRef(state, params, 'payment_intent', 'payment_intent', (d) => d.paymentIntent),
  ),
);

export const payouts = resource('payout', '/v1/payouts', { arrival_date: { type: 'range' }, destination: { type: 'string' }, status: { type: 'string' } }, (state, params) => {
  const destination = params.get('destination');
  return all(
    byRange(params, 'arrival_date', (p) => p.arrivalDate),
    byValue(params, 'status', (p) => p.status),
    typeof destination === 'string' ? () => destination === state.ids.encode('bank_account', 1) : null,
  );
});

const SUBSCRIPTION_STATUSES = ['active', 'all', 'canceled', 'ended', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid'] as const;

export const subscriptions = resource(
  'subscription',
  '/v1/subscriptions',
  {
    automatic_tax: { type: 'object', fields: { enabled: { type: 'boolean' } } },
    collection_method: { type: 'enum', values: COLLECTION_METHODS },
    current_period_end: { type: 'range' },
    current_period_start: { type: 'range' },
    customer: { type: 'string' },
    customer_account: { type: 'string' },
    plan: { type: 'string' },
    price: { type: 'string' },
    status: { type: 'enum', values: SUBSCRIPTION_STATUSES },
    test_clock: { type: 'string' },
  },
  (state, params) => {
    const status = params.get('status');
    const automaticTax = params.get('automatic_tax') as { enabled?: boolean } | undefined;
    return all(
      // Without `status`, Stripe lists every subscription that is not canceled.
      status === undefined
        ? (s) => s.status !== 'canceled'
        : status === 'all'
          ? null
          : status === 'ended'
            ? (s) => s.status === 'canceled' || s.status === 'incomplete_expired'
            : (s) => s.status === status,
      byValue(params, 'collection_method', (s) => s.collectionMethod),
      byRange(params, 'current_period_end', (s) => s.currentPeriodEnd),
      byRange(params, 'current_period_start', (s) => s.currentPeriodStart),
      byRef(state, params, 'customer', 'customer', (s) => s.customer),
      params.has('customer_account') ? () => false : null,
      byRef(state, params, 'price', 'price', (s) => s.price),
      byRef(state, params, 'plan', 'price', (s) => s.price),
      automaticTax?.enabled === true ? () => false : null,
      noTestClocks(params),
    );
  },
);

export const prices = resource(
  'price',
  '/v1/prices',
  {
    active: { type: 'boolean' },
    currency: { type: 'string' },
    lookup_keys: { type: 'array', maxItems: 10 },
    product: { type: 'string' },
    recurring: {
      type: 'object',
      fields: { interval: { type: 'enum', values: ['day', 'month', 'week', 'year'] }, meter: { type: 'string' }, usage_type: { type: 'enum', values: ['licensed', 'metered'] } },
    },
    type: { type: 'enum', values: ['one_time', 'recurring'] },
  },
  (state, params) => {
    const lookupKeys = params.get('lookup_keys') as string[] | undefined;
    const recurring = params.get('recurring') as { interval?: string; usage_type?: string; meter?: string } | undefined;
    return all(
      byValue(params, 'active', (p) => p.active),
      byValue(params, 'currency', (p) => p.currency),
      lookupKeys ? (p) => p.lookupKey !== null && lookupKeys.includes(p.lookupKey) : null,
      byRef(state, params, 'product', 'product', (p) => p.product),
      recurring?.interval !== undefined ? (p) => p.interval === recurring.interval : null,
      recurring?.usage_type === 'metered' || recurring?.meter !== undefined ? () => false : null,
      recurring?.usage_type === 'licensed' ? (p) => p.interval !== null : null,
      byValue(params, 'type', (p) => (p.interval ? 'recurring' : 'one_time')),
    );
  },
);

export const products = resource(
  'product',
  '/v1/products',
  { active: { type: 'boolean' }, ids: { type: 'array' }, shippable: { type: 'boolean' }, type: { type: 'enum', values: ['good', 'service'] }, url: { type: 'string' } },
  (state, params) => {
    const ids = params.get('ids') as string[] | undefined;
    const seqs = ids ? new Set(ids.map((id) => state.ids.decode('product', id))) : null;
    return all(
      byValue(params, 'active', (p) => p.active),
      seqs ? (p) => seqs.has(p.seq) : null,
      byValue(params, 'shippable', (p) => p.shippable),
      byValue(params, 'type', (p) => p.type),
      byValue(params, 'url', (p) => p.url),
    );
  },
);

/** Stripe accepts `type` (with `*` wildcards) or `types` (at most 20 exact names), not both. */
export const events: ListEndpoint<EventRecord> = {
  path: '/v1/events',
  idKind: 'event',
  objectName: 'event',
  params: { ...COMMON_LIST_PARAMS, delivery_success: { type: 'boolean' }, type: { type: 'string' }, types: { type: 'array', maxItems: 20 } },
  table: (state) => state.events,
  render: renderEvent,
  filter: (_state, params) => {
    const type = params.get('type');
    const types = params.get('types') as string[] | undefined;
    return all<EventRecord>(
      typeof type === 'string' ? wildcard(type) : null,
      types ? (e) => types.includes(e.type) : null,
      // The stand-in has no webhook endpoints: nothing is pending or failed, so every event counts as delivered.
      params.get('delivery_success') === false ? () => false : null,
    );
  },
  exists: (state, event) => state.eventVisible(event),
  deletedRetrieval: 'missing',
  crossCheck: (params) => {
    if (params.has('type') && params.has('types')) throw invalidRequest('You may only specify one of these parameters: type, types.');
  },
  createdFloor: (state) => state.nowSeconds() - EVENT_RETENTION_SECONDS,
};

function wildcard(pattern: string): Accept<EventRecord> {
  if (!pattern.includes('*')) return (e) => e.type === pattern;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (e) => regex.test(e.type);
}

export const LIST_ENDPOINTS: readonly ListEndpoint[] = [
  charges,
  customers,
  invoices,
  paymentIntents,
  refunds,
  balanceTransactions,
  disputes,
  payouts,
  subscriptions,
  prices,
  products,
  events,
];
