import type { AccountState } from './account-state.js';
import type { IdKind } from './ids.js';
import { renderCustomer, renderInvoice, renderPrice, renderProduct, renderSubscription } from './render-billing.js';
import { renderBalanceTransaction, renderCharge, renderDispute, renderPaymentIntent, renderPayout, renderRefund } from './render-payments.js';
import type { EventRecord, ResourceKind, ResourceRecords } from './records.js';

type Json = Record<string, unknown>;

const RENDERERS: { [K in ResourceKind]: (state: AccountState, record: ResourceRecords[K]) => Json } = {
  customer: renderCustomer,
  product: renderProduct,
  price: renderPrice,
  payment_intent: renderPaymentIntent,
  charge: renderCharge,
  refund: renderRefund,
  balance_transaction: renderBalanceTransaction,
  dispute: renderDispute,
  payout: renderPayout,
  subscription: renderSubscription,
  invoice: renderInvoice,
};

export function renderRecord<K extends ResourceKind>(state: AccountState, kind: K, record: ResourceRecords[K]): Json {
  return RENDERERS[kind](state, record);
}

/** What `GET /v1/customers/{id}` answers for a deleted customer (and what a delete call returns). */
export function renderDeletedStub(state: AccountState, kind: IdKind, seq: number): Json {
  return { id: state.ids.encode(kind, seq), object: kind, deleted: true };
}

export function renderEvent(state: AccountState, event: EventRecord): Json {
  const object = renderRecord(state, event.kind, event.object as never);
  const data: Json = { object };
  if (event.before) data.previous_attributes = previousAttributes(renderRecord(state, event.kind, event.before as never), object);
  return {
    id: state.ids.encode('event', event.seq),
    object: 'event',
    api_version: event.apiVersion,
    created: event.created,
    data,
    livemode: false,
    pending_webhooks: 0,
    request: { id: event.requestSeq > 0 ? state.ids.encode('request', event.requestSeq) : null, idempotency_key: event.idempotencyKey },
    type: event.type,
  };
}

/**
 * Stripe's `previous_attributes`: the changed top-level fields with their old values; inside a changed hash only
 * the changed keys (a key the old hash lacked shows as null); a changed array is given whole.
 */
export function previousAttributes(before: Json, after: Json): Json {
  const out: Json = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[key];
    const now = after[key];
    if (sameJson(old, now)) continue;
    if (isHash(old) && isHash(now)) {
      const nested: Json = {};
      for (const inner of new Set([...Object.keys(old), ...Object.keys(now)])) {
        if (!sameJson(old[inner], now[inner])) nested[inner] = old[inner] ?? null;
      }
      out[key] = nested;
    } else {
      out[key] = old ?? null;
    }
  }
  return out;
}

function isHash(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
