import type { AccountState } from './account-state.js';
import { definedOnly, emit, insertRecord, mergeMetadata, metadataOf, patchRecord, type Change } from './record-changes.js';
import type { CustomerRecord, InvoiceRecord, InvoiceStatus, PriceInterval, PriceRecord, ProductRecord, SubscriptionRecord, SubscriptionStatus } from './records.js';

/** Customers, the catalog and billing at record level, with the events Stripe sends for each change. */

const DAY = 86_400;

export function periodEnd(start: number, interval: PriceInterval | null): number {
  switch (interval) {
    case 'day':
      return start + DAY;
    case 'week':
      return start + 7 * DAY;
    case 'year': {
      const d = new Date(start * 1000);
      d.setUTCFullYear(d.getUTCFullYear() + 1);
      return Math.floor(d.getTime() / 1000);
    }
    default: {
      const d = new Date(start * 1000);
      d.setUTCMonth(d.getUTCMonth() + 1);
      return Math.floor(d.getTime() / 1000);
    }
  }
}

export interface CustomerInput {
  email?: string | null;
  name?: string | null;
  description?: string | null;
  phone?: string | null;
  balance?: number;
  currency?: string | null;
  metadata?: Record<string, string>;
}

export function createCustomer(state: AccountState, input: CustomerInput, change: Change): CustomerRecord {
  const customer = insertRecord(
    state,
    'customer',
    {
      seq: state.tables.customer.nextSeq(),
      created: change.at,
      deleted: false,
      email: input.email ?? null,
      name: input.name ?? null,
      description: input.description ?? null,
      phone: input.phone ?? null,
      balance: input.balance ?? 0,
      currency: input.currency ?? null,
      delinquent: false,
      metadata: metadataOf(input.metadata),
    },
  );
  emit(state, 'customer.created', 'customer', customer, change);
  return customer;
}

export function updateCustomer(state: AccountState, seq: number, patch: CustomerInput, change: Change): CustomerRecord {
  const current = liveRecord(state.tables.customer.get(seq), 'customer', seq);
  const { metadata, ...fields } = patch;
  const { before, after } = patchRecord(state, 'customer', seq, { ...definedOnly(fields), metadata: mergeMetadata(current.metadata, metadata) });
  emit(state, 'customer.updated', 'customer', after, change, before);
  return after;
}

/** Deleting a customer cancels its subscriptions first, as Stripe does. */
export function deleteCustomer(state: AccountState, seq: number, change: Change): CustomerRecord {
  liveRecord(state.tables.customer.get(seq), 'customer', seq);
  for (const subscription of state.tables.subscription.all()) {
    if (subscription.customer === seq && subscription.status !== 'canceled' && subscription.status !== 'incomplete_expired') cancelSubscription(state, subscription.seq, change);
  }
  const { after } = patchRecord(state, 'customer', seq, { deleted: true });
  emit(state, 'customer.deleted', 'customer', after, change);
  return after;
}

export interface ProductInput {
  name: string;
  description?: string | null;
  active?: boolean;
  type?: 'good' | 'service';
  shippable?: boolean | null;
  url?: string | null;
  metadata?: Record<string, string>;
}

export function createProduct(state: AccountState, input: ProductInput, change: Change): ProductRecord {
  const product = insertRecord(
    state,
    'product',
    {
      seq: state.tables.product.nextSeq(),
      created: change.at,
      deleted: false,
      name: input.name,
      description: input.description ?? null,
      active: input.active ?? true,
      updated: change.at,
      defaultPrice: 0,
      type: input.type ?? 'service',
      shippable: input.shippable ?? null,
      url: input.url ?? null,
      metadata: metadataOf(input.metadata),
    },
  );
  emit(state, 'product.created', 'product', product, change);
  return product;
}

export function updateProduct(state: AccountState, seq: number, patch: Partial<ProductInput> & { defaultPrice?: number }, change: Change): ProductRecord {
  const current = liveRecord(state.tables.product.get(seq), 'product', seq);
  const { metadata, ...fields } = patch;
  const { before, after } = patchRecord(state, 'product', seq, { ...definedOnly(fields), updated: change.at, metadata: mergeMetadata(current.metadata, metadata) });
  emit(state, 'product.updated', 'product', after, change, before);
  return after;
}

/** Stripe refuses to delete a product that still has prices. */
export function deleteProduct(state: AccountState, seq: number, change: Change): ProductRecord {
  liveRecord(state.tables.product.get(seq), 'product', seq);
  for (const price of state.tables.price.all()) {
    if (price.product === seq && !price.deleted) throw new Error('This product cannot be deleted because it has one or more user-created prices.');
  }
  const { after } = patchRecord(state, 'product', seq, { deleted: true });
  emit(state, 'product.deleted', 'product', after, change);
  return after;
}

export interface PriceInput {
  product: number;
  unitAmount: number;
  currency: string;
  interval?: PriceInterval | null;
  active?: boolean;
  nickname?: string | null;
  lookupKey?: string | null;
  metadata?: Record<string, string>;
}

export function createPrice(state: AccountState, input: PriceInput, change: Change): PriceRecord {
  liveRecord(state.tables.product.get(input.product), 'product', input.product);
  const price = insertRecord(
    state,
    'price',
    {
      seq: state.tables.price.nextSeq(),
      created: change.at,
      deleted: false,
      product: input.product,
      unitAmount: input.unitAmount,
      currency: input.currency,
      interval: input.interval ?? null,
      active: input.active ?? true,
      nickname: input.nickname ?? null,
      lookupKey: input.lookupKey ?? null,
      metadata: metadataOf(input.metadata),
    },
  );
  emit(state, 'price.created', 'price', price, change);
  return price;
}

export function updatePrice(state: AccountState, seq: number, patch: { active?: boolean; nickname?: string | null; lookupKey?: string | null; metadata?: Record<string, string> }, change: Change): PriceRecord {
  const current = liveRecord(state.tables.price.get(seq), 'price', seq);
  const { metadata, ...fields } = patch;
  const { before, after } = patchRecord(state, 'price', seq, { ...definedOnly(fields), metadata: mergeMetadata(current.metadata, metadata) });
  emit(state, 'price.updated', 'price', after, change, before);
  return after;
}

export function deletePrice(state: AccountState, seq: number, change: Change): PriceRecord {
  liveRecord(state.tables.price.get(seq), 'price', seq);
  const { after } = patchRecord(state, 'price', seq, { deleted: true });
  emit(state, 'price.deleted', 'price', after, change);
  return after;
}

export interface SubscriptionInput {
  customer: number;
  price: number;
  quantity?: number;
  status?: SubscriptionStatus;
  collectionMethod?: 'charge_automatically' | 'send_invoice';
  description?: string | null;
  metadata?: Record<string, string>;
  /** Bill the first period at once (Stripe's default); off for subscriptions created without an invoice. */
  invoiceNow?: boolean;
}

export function createSubscription(state: AccountState, input: SubscriptionInput, change: Change): SubscriptionRecord {
  liveRecord(state.tables.customer.get(input.customer), 'customer', input.customer);
  const price = liveRecord(state.tables.price.get(input.price), 'price', input.price);
  if (!price.interval) throw new Error('a subscription needs a recurring price');
  const subscription = insertRecord(
    state,
    'subscription',
    {
      seq: state.tables.subscription.nextSeq(),
      created: change.at,
      deleted: false,
      customer: input.customer,
      price: input.price,
      quantity: input.quantity ?? 1,
      status: input.status ?? 'active',
      startDate: change.at,
      currentPeriodStart: change.at,
      currentPeriodEnd: periodEnd(change.at, price.interval),
      cancelAtPeriodEnd: false,
      canceledAt: 0,
      endedAt: 0,
      collectionMethod: input.collectionMethod ?? 'charge_automatically',
      latestInvoice: 0,
      description: input.description ?? null,
      metadata: metadataOf(input.metadata),
    },
  );
  emit(state, 'customer.subscription.created', 'subscription', subscription, change);
  if (input.invoiceNow === false) return subscription;
  const invoice = billSubscription(state, subscription, 'subscription_create', change);
  return patchRecord(state, 'subscription', subscription.seq, { latestInvoice: invoice.seq }).after;
}

/** Starts the next billing period and invoices it. */
export function renewSubscription(state: AccountState, seq: number, change: Change, pay = true): SubscriptionRecord {
  const current = state.tables.subscription.get(seq);
  if (!current || current.status === 'canceled') throw new Error(`subscription ${seq} cannot renew`);
  const price = state.tables.price.get(current.price);
  const start = current.currentPeriodEnd;
  const invoice = billSubscription(state, { ...current, currentPeriodStart: start, currentPeriodEnd: periodEnd(start, price?.interval ?? 'month') }, 'subscription_cycle', change, pay);
  const { before, after } = patchRecord(state, 'subscription', seq, {
    currentPeriodStart: start,
    currentPeriodEnd: periodEnd(start, price?.interval ?? 'month'),
    latestInvoice: invoice.seq,
    status: pay ? 'active' : 'past_due',
  });
  emit(state, 'customer.subscription.updated', 'subscription', after, change, before);
  return after;
}

function billSubscription(state: AccountState, subscription: SubscriptionRecord, reason: 'subscription_create' | 'subscription_cycle', change: Change, pay = true): InvoiceRecord {
  const price = state.tables.price.get(subscription.price);
  return createInvoice(
    state,
    {
      customer: subscription.customer,
      subscription: subscription.seq,
      price: subscription.price,
      quantity: subscription.quantity,
      amount: (price?.unitAmount ?? 0) * subscription.quantity,
      currency: price?.currency ?? 'usd',
      collectionMethod: subscription.collectionMethod,
      billingReason: reason,
      periodStart: subscription.currentPeriodStart,
      periodEnd: subscription.currentPeriodEnd,
      status: pay ? 'paid' : 'open',
    },
    change,
  );
}

export function updateSubscription(state: AccountState, seq: number, patch: { cancelAtPeriodEnd?: boolean; quantity?: number; status?: SubscriptionStatus; description?: string | null; metadata?: Record<string, string> }, change: Change): SubscriptionRecord {
  const current = state.tables.subscription.get(seq);
  if (!current) throw new Error(`no subscription ${seq}`);
  const { metadata, ...fields } = patch;
  const { before, after } = patchRecord(state, 'subscription', seq, { ...definedOnly(fields), metadata: mergeMetadata(current.metadata, metadata) });
  emit(state, 'customer.subscription.updated', 'subscription', after, change, before);
  return after;
}

/** A canceled subscription stays retrievable; Stripe calls the event `customer.subscription.deleted`. */
export function cancelSubscription(state: AccountState, seq: number, change: Change): SubscriptionRecord {
  const current = state.tables.subscription.get(seq);
  if (!current) throw new Error(`no subscription ${seq}`);
  if (current.status === 'canceled') throw new Error(`subscription ${seq} is already canceled`);
  const { after } = patchRecord(state, 'subscription', seq, { status: 'canceled', canceledAt: change.at, endedAt: change.at, cancelAtPeriodEnd: false });
  emit(state, 'customer.subscription.deleted', 'subscription', after, change);
  return after;
}

export interface InvoiceInput {
  customer: number;
  subscription?: number;
  price?: number;
  quantity?: number;
  /** Total in the smallest currency unit (defaults to price × quantity). */
  amount?: number;
  currency?: string;
  collectionMethod?: 'charge_automatically' | 'send_invoice';
  billingReason?: InvoiceRecord['billingReason'];
  periodStart?: number;
  periodEnd?: number;
  description?: string | null;
  /** Where the invoice ends up: created as a draft, then finalized and paid as asked. */
  status?: 'draft' | 'open' | 'paid';
  metadata?: Record<string, string>;
}

export function createInvoice(state: AccountState, input: InvoiceInput, change: Change): InvoiceRecord {
  liveRecord(state.tables.customer.get(input.customer), 'customer', input.customer);
  const price = input.price ? liveRecord(state.tables.price.get(input.price), 'price', input.price) : undefined;
  const quantity = input.quantity ?? 1;
  const total = input.amount ?? (price ? price.unitAmount * quantity : 0);
  const collectionMethod = input.collectionMethod ?? 'charge_automatically';
  const draft = insertRecord(
    state,
    'invoice',
    {
      seq: state.tables.invoice.nextSeq(),
      created: change.at,
      deleted: false,
      customer: input.customer,
      subscription: input.subscription ?? 0,
      price: input.price ?? 0,
      quantity,
      total,
      amountPaid: 0,
      currency: input.currency ?? price?.currency ?? 'usd',
      status: 'draft',
      collectionMethod,
      billingReason: input.billingReason ?? 'manual',
      dueDate: collectionMethod === 'send_invoice' ? change.at + 30 * DAY : 0,
      periodStart: input.periodStart ?? change.at,
      periodEnd: input.periodEnd ?? change.at,
      number: 0,
      finalizedAt: 0,
      paidAt: 0,
      voidedAt: 0,
      markedUncollectibleAt: 0,
      description: input.description ?? null,
      metadata: metadataOf(input.metadata),
    },
  );
  emit(state, 'invoice.created', 'invoice', draft, change);
  const target = input.status ?? 'draft';
  if (target === 'draft') return draft;
  const open = finalizeInvoice(state, draft.seq, change);
  return target === 'paid' ? payInvoice(state, open.seq, change) : open;
}

export function finalizeInvoice(state: AccountState, seq: number, change: Change): InvoiceRecord {
  const current = invoiceIn(state, seq, 'draft');
  const number = (state.invoiceNumbers.get(current.customer) ?? 0) + 1;
  state.invoiceNumbers.set(current.customer, number);
  const { after } = patchRecord(state, 'invoice', seq, { status: 'open', number, finalizedAt: change.at });
  emit(state, 'invoice.finalized', 'invoice', after, change);
  return after;
}

export function payInvoice(state: AccountState, seq: number, change: Change): InvoiceRecord {
  const current = invoiceIn(state, seq, 'open', 'uncollectible');
  const { after } = patchRecord(state, 'invoice', seq, { status: 'paid', amountPaid: current.total, paidAt: change.at });
  emit(state, 'invoice.paid', 'invoice', after, change);
  emit(state, 'invoice.payment_succeeded', 'invoice', after, change);
  return after;
}

export function voidInvoice(state: AccountState, seq: number, change: Change): InvoiceRecord {
  invoiceIn(state, seq, 'open', 'uncollectible');
  const { after } = patchRecord(state, 'invoice', seq, { status: 'void', voidedAt: change.at });
  emit(state, 'invoice.voided', 'invoice', after, change);
  return after;
}

export function markInvoiceUncollectible(state: AccountState, seq: number, change: Change): InvoiceRecord {
  invoiceIn(state, seq, 'open');
  const { after } = patchRecord(state, 'invoice', seq, { status: 'uncollectible', markedUncollectibleAt: change.at });
  emit(state, 'invoice.marked_uncollectible', 'invoice', after, change);
  return after;
}

export function updateInvoice(state: AccountState, seq: number, patch: { description?: string | null; metadata?: Record<string, string> }, change: Change): InvoiceRecord {
  const current = liveRecord(state.tables.invoice.get(seq), 'invoice', seq);
  const { before, after } = patchRecord(state, 'invoice', seq, { ...definedOnly({ description: patch.description }), metadata: mergeMetadata(current.metadata, patch.metadata) });
  emit(state, 'invoice.updated', 'invoice', after, change, before);
  return after;
}

/** Only drafts can be deleted; a deleted invoice is gone (404), unlike a customer. */
export function deleteInvoice(state: AccountState, seq: number, change: Change): InvoiceRecord {
  invoiceIn(state, seq, 'draft');
  const { after } = patchRecord(state, 'invoice', seq, { deleted: true });
  emit(state, 'invoice.deleted', 'invoice', after, change);
  return after;
}

function invoiceIn(state: AccountState, seq: number, ...statuses: InvoiceStatus[]): InvoiceRecord {
  const invoice = liveRecord(state.tables.invoice.get(seq), 'invoice', seq);
  if (!statuses.includes(invoice.status)) throw new Error(`invoice ${seq} is ${invoice.status}; this needs ${statuses.join(' or ')}`);
  return invoice;
}

function liveRecord<R extends { deleted: boolean }>(record: R | undefined, kind: string, seq: number): R {
  if (!record || record.deleted) throw new Error(`no ${kind} with seq ${seq}`);
  return record;
}
