import type { ChangeFeed, ColumnDefinition, RestConnectorDefinition, StreamDefinition } from '../rest/definition.js';

/** The Stripe connection spec this connector reads (AEP's Stripe source). */
export const stripeSpecId = 'cc2c31d6-7b8c-4581-b49f-5c8698aa3ab3';

/** The API version every request asks for, so a change of the account's default version changes nothing here. */
export const stripeApiVersion = '2026-10-28.endive';

const day = 86_400_000;

const column = (name: string, field: string, type: ColumnDefinition['type'] = 'string'): ColumnDefinition => ({ name, path: [field], type });
const created: ColumnDefinition = { name: 'Created', path: ['created'], type: 'date-time', epochSeconds: true };
/** The key-value pairs the account attaches to its objects. */
const metadata: ColumnDefinition = { name: 'Metadata', path: ['metadata'], type: 'object' };

/**
 * Stripe keeps events for 30 days and answers at most 20 types per request. `<kind>.deleted` marks a deleted
 * object, except for subscriptions, whose `customer.subscription.deleted` means canceled: the subscription
 * stays, with that status.
 */
function events(objectKind: string, types: string[]): ChangeFeed {
  return {
    type: 'events',
    request: { path: '/v1/events', query: { limit: '100' } },
    records: { path: ['data'] },
    paginator: { type: 'after-last-id', param: 'starting_after', idPath: ['id'], hasMorePath: ['has_more'] },
    types,
    typesParam: 'types',
    maxTypesPerRequest: 20,
    afterParam: 'created[gt]',
    objectPath: ['data', 'object'],
    objectKind: { path: ['data', 'object', 'object'], equals: objectKind },
    createdPath: ['created'],
    typePath: ['type'],
    deletedTypes: types.filter((t) => t === `${objectKind}.deleted`),
    retentionMs: 30 * day,
  };
}

/**
 * A Stripe list as a table: the first run reads the whole history in `created` windows (newest first, 100 a
 * page, `starting_after`); later runs read only the events since the last run, so an object changed after it
 * was first read lands again, and a deleted one is marked deleted.
 */
function table(name: string, path: string, columns: ColumnDefinition[], changes?: ChangeFeed, query: Record<string, string> = {}): StreamDefinition {
  return {
    name,
    request: { path, query: { limit: '100', ...query } },
    records: { path: ['data'] },
    paginator: { type: 'after-last-id', param: 'starting_after', idPath: ['id'], hasMorePath: ['has_more'] },
    primaryKey: 'Id',
    // Named columns only: copying each whole object costs a third of the read, and any field left out is
    // counted in the run's unknown fields, so nothing is dropped unseen.
    columns: [column('Id', 'id'), created, ...columns, metadata],
    ignoredFields: ['object', 'livemode'],
    cursor: {
      type: 'time-window',
      column: 'Created',
      startParam: 'created[gte]',
      endParam: 'created[lt]',
      format: 'epoch-seconds',
      // A year a window: few requests for a small account, and windows enough to read a large one four at a time.
      maxWindowMs: 365 * day,
      sourceLagMs: 0,
      lookbackMs: 0,
      historyMs: 15 * 365 * day,
      order: 'newest-first',
    },
    ...(changes ? { changes } : {}),
  };
}

const money = [column('Amount', 'amount', 'integer'), column('Currency', 'currency')];

export const stripeDefinition: RestConnectorDefinition = {
  vendor: 'Stripe',
  defaultHost: 'api.stripe.com',
  auth: { type: 'bearer', secretParam: 'accessToken' },
  headers: { 'stripe-version': stripeApiVersion },
  // Stripe's published basic limits: 100 read requests a second in live mode, 25 in test mode (sandboxes), per
  // account. Test-mode keys, secret or restricted, say so by their prefix.
  rateLimit: {
    requestsPerSecond: 100,
    burst: 100,
    byCredentials: [{ when: { type: 'prefix', param: 'accessToken', prefixes: ['sk_test_', 'rk_test_'] }, requestsPerSecond: 25, burst: 25 }],
  },
  concurrency: 4,
  check: { path: '/v1/balance_transactions', query: { limit: '1' } },
  streams: [
    table('Charges', '/v1/charges', [...money, column('Status', 'status'), column('Paid', 'paid', 'boolean'), column('Captured', 'captured', 'boolean'), column('Refunded', 'refunded', 'boolean'), column('Amount_Refunded', 'amount_refunded', 'integer'), column('Customer', 'customer'), column('Payment_Intent', 'payment_intent'), column('Description', 'description'), column('Receipt_Email', 'receipt_email')],
      events('charge', ['charge.captured', 'charge.expired', 'charge.failed', 'charge.pending', 'charge.refunded', 'charge.succeeded', 'charge.updated'])),
    table('Customers', '/v1/customers', [column('Email', 'email'), column('Name', 'name'), column('Phone', 'phone'), column('Description', 'description'), column('Currency', 'currency'), column('Balance', 'balance', 'integer'), column('Delinquent', 'delinquent', 'boolean')],
      events('customer', ['customer.created', 'customer.updated', 'customer.deleted'])),
    table('Invoices', '/v1/invoices', [column('Customer', 'customer'), column('Subscription', 'subscription'), column('Status', 'status'), column('Currency', 'currency'), column('Amount_Due', 'amount_due', 'integer'), column('Amount_Paid', 'amount_paid', 'integer'), column('Amount_Remaining', 'amount_remaining', 'integer'), column('Total', 'total', 'integer'), column('Number', 'number')],
      events('invoice', ['invoice.created', 'invoice.deleted', 'invoice.finalized', 'invoice.finalization_failed', 'invoice.marked_uncollectible', 'invoice.overdue', 'invoice.paid', 'invoice.payment_action_required', 'invoice.payment_failed', 'invoice.payment_succeeded', 'invoice.sent', 'invoice.updated', 'invoice.voided', 'invoice.will_be_due'])),
    table('Payment_Intents', '/v1/payment_intents', [...money, column('Status', 'status'), column('Customer', 'customer'), column('Amount_Received', 'amount_received', 'integer'), column('Latest_Charge', 'latest_charge'), column('Description', 'description')],
      events('payment_intent', ['payment_intent.amount_capturable_updated', 'payment_intent.canceled', 'payment_intent.created', 'payment_intent.partially_funded', 'payment_intent.payment_failed', 'payment_intent.processing', 'payment_intent.requires_action', 'payment_intent.succeeded'])),
    table('Refunds', '/v1/refunds', [...money, column('Status', 'status'), column('Charge', 'charge'), column('Payment_Intent', 'payment_intent'), column('Reason', 'reason')],
      events('refund', ['refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated'])),
    // Balance transactions do not change once made: new ones are read by `created` windows, with no events.
    table('Balance_Transactions', '/v1/balance_transactions', [...money, column('Net', 'net', 'integer'), column('Fee', 'fee', 'integer'), column('Type', 'type'), column('Status', 'status'), column('Source', 'source'), column('Reporting_Category', 'reporting_category'), { name: 'Available_On', path: ['available_on'], type: 'date-time', epochSeconds: true }]),
    table('Disputes', '/v1/disputes', [...money, column('Status', 'status'), column('Reason', 'reason'), column('Charge', 'charge'), column('Payment_Intent', 'payment_intent')],
      events('dispute', ['charge.dispute.closed', 'charge.dispute.created', 'charge.dispute.funds_reinstated', 'charge.dispute.funds_withdrawn', 'charge.dispute.updated'])),
    table('Payouts', '/v1/payouts', [...money, column('Status', 'status'), column('Method', 'method'), column('Type', 'type'), column('Destination', 'destination'), { name: 'Arrival_Date', path: ['arrival_date'], type: 'date-time', epochSeconds: true }],
      events('payout', ['payout.canceled', 'payout.created', 'payout.failed', 'payout.paid', 'payout.reconciliation_completed', 'payout.updated'])),
    table('Subscriptions', '/v1/subscriptions', [column('Customer', 'customer'), column('Status', 'status'), column('Currency', 'currency'), column('Cancel_At_Period_End', 'cancel_at_period_end', 'boolean'), { name: 'Canceled_At', path: ['canceled_at'], type: 'date-time', epochSeconds: true }],
      events('subscription', ['customer.subscription.created', 'customer.subscription.deleted', 'customer.subscription.paused', 'customer.subscription.pending_update_applied', 'customer.subscription.pending_update_expired', 'customer.subscription.resumed', 'customer.subscription.trial_will_end', 'customer.subscription.updated']),
      // Without `status`, Stripe leaves canceled subscriptions out of the list.
      { status: 'all' }),
    table('Prices', '/v1/prices', [column('Product', 'product'), column('Currency', 'currency'), column('Unit_Amount', 'unit_amount', 'integer'), column('Type', 'type'), column('Active', 'active', 'boolean'), column('Nickname', 'nickname')],
      events('price', ['price.created', 'price.deleted', 'price.updated'])),
    table('Products', '/v1/products', [column('Name', 'name'), column('Description', 'description'), column('Active', 'active', 'boolean'), { name: 'Updated', path: ['updated'], type: 'date-time', epochSeconds: true }],
      events('product', ['product.created', 'product.deleted', 'product.updated'])),
  ],
};
