import type { StandInClock } from '../standin-server.js';
import { AccountState, type AccountStateOptions } from './account-state.js';
import type { IdKind } from './ids.js';
import * as billing from './operations-billing.js';
import * as payments from './operations-payments.js';
import type { Change } from './record-changes.js';
import type { ChargeStatus, DisputeStatus, PayoutStatus, PriceInterval, ResourceKind, SubscriptionStatus } from './records.js';
import { renderDeletedStub, renderEvent, renderRecord } from './render-objects.js';

/**
 * The Stripe account a test manipulates: Stripe-named inputs (snake_case, ids as strings), rendered Stripe
 * objects out. Every change is stamped from the clock (or the `at` given, to seed history) and emits the events
 * Stripe would send. Misuse (unknown id, refunding too much) throws a plain Error: these are test-side calls.
 */

export type StripeObject = Record<string, unknown> & { id: string; object: string };

export interface ChangeOptions {
  /** Epoch seconds of the change (default: the clock). A create at a past time seeds history. */
  at?: number;
  /** Marks the change as Stripe's own (its events have `request.id` null). */
  automatic?: boolean;
  idempotency_key?: string;
}

type Meta = Record<string, string>;

export class StripeAccount {
  readonly state: AccountState;

  constructor(options: AccountStateOptions = {}) {
    this.state = new AccountState(options);
  }

  get clock(): StandInClock {
    return this.state.clock;
  }

  get apiVersion(): string {
    return this.state.apiVersion;
  }

  set apiVersion(version: string) {
    this.state.apiVersion = version;
  }

  // Customers

  createCustomer(input: { email?: string | null; name?: string | null; description?: string | null; phone?: string | null; balance?: number; metadata?: Meta } = {}, options?: ChangeOptions): StripeObject {
    return this.out('customer', billing.createCustomer(this.state, input, this.change(options)));
  }

  updateCustomer(id: string, patch: { email?: string | null; name?: string | null; description?: string | null; phone?: string | null; balance?: number; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    return this.out('customer', billing.updateCustomer(this.state, this.seq('customer', id), patch, this.change(options)));
  }

  /** Returns Stripe's deletion answer `{id, object, deleted: true}`; the customer's subscriptions are canceled. */
  deleteCustomer(id: string, options?: ChangeOptions): StripeObject {
    const record = billing.deleteCustomer(this.state, this.seq('customer', id), this.change(options));
    return renderDeletedStub(this.state, 'customer', record.seq) as StripeObject;
  }

  // Catalog

  createProduct(input: { name: string; description?: string | null; active?: boolean; type?: 'good' | 'service'; shippable?: boolean | null; url?: string | null; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    return this.out('product', billing.createProduct(this.state, input, this.change(options)));
  }

  updateProduct(id: string, patch: { name?: string; description?: string | null; active?: boolean; default_price?: string; url?: string | null; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    const { default_price: defaultPrice, ...rest } = patch;
    const fields = defaultPrice === undefined ? rest : { ...rest, defaultPrice: this.seq('price', defaultPrice) };
    return this.out('product', billing.updateProduct(this.state, this.seq('product', id), fields, this.change(options)));
  }

  deleteProduct(id: string, options?: ChangeOptions): StripeObject {
    const record = billing.deleteProduct(this.state, this.seq('product', id), this.change(options));
    return renderDeletedStub(this.state, 'product', record.seq) as StripeObject;
  }

  createPrice(input: { product: string; unit_amount: number; currency: string; recurring?: { interval: PriceInterval } | null; active?: boolean; nickname?: string | null; lookup_key?: string | null; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    const record = billing.createPrice(
      this.state,
      {
        product: this.seq('product', input.product),
        unitAmount: input.unit_amount,
        currency: input.currency,
        interval: input.recurring?.interval ?? null,
        active: input.active,
        nickname: input.nickname,
        lookupKey: input.lookup_key,
        metadata: input.metadata,
      },
      this.change(options),
    );
    return this.out('price', record);
  }

  updatePrice(id: string, patch: { active?: boolean; nickname?: string | null; lookup_key?: string | null; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    const { lookup_key: lookupKey, ...rest } = patch;
    return this.out('price', billing.updatePrice(this.state, this.seq('price', id), { ...rest, lookupKey }, this.change(options)));
  }

  deletePrice(id: string, options?: ChangeOptions): StripeObject {
    const record = billing.deletePrice(this.state, this.seq('price', id), this.change(options));
    return renderDeletedStub(this.state, 'price', record.seq) as StripeObject;
  }

  // Payments

  createPaymentIntent(input: { amount: number; currency: string; customer?: string | null; description?: string | null; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    const record = payments.createPaymentIntent(
      this.state,
      { amount: input.amount, currency: input.currency, customer: this.optionalSeq('customer', input.customer), description: input.description ?? null, metadata: input.metadata },
      this.change(options),
    );
    return this.out('payment_intent', record);
  }

  /** Confirms a PaymentIntent: makes its charge (succeeded or declined) and settles the intent. Returns the intent. */
  confirmPaymentIntent(id: string, input: { succeed?: boolean } = {}, options?: ChangeOptions): StripeObject {
    const intentSeq = this.seq('payment_intent', id);
    const intent = this.state.tables.payment_intent.get(intentSeq);
    if (!intent || (intent.status !== 'requires_payment_method' && intent.status !== 'requires_confirmation')) throw new Error(`PaymentIntent ${id} cannot be confirmed in status ${intent?.status}`);
    const customer = intent.customer > 0 ? this.state.tables.customer.get(intent.customer) : undefined;
    payments.createCharge(
      this.state,
      {
        amount: intent.amount,
        currency: intent.currency,
        customer: intent.customer,
        description: intent.description,
        status: input.succeed === false ? 'failed' : 'succeeded',
        captured: true,
        paymentIntent: intentSeq,
        billingName: customer?.name ?? null,
        receiptEmail: customer?.email ?? null,
        metadata: { ...intent.metadata },
      },
      this.change(options),
    );
    return this.out('payment_intent', this.state.tables.payment_intent.get(intentSeq));
  }

  cancelPaymentIntent(id: string, reason: 'abandoned' | 'duplicate' | 'fraudulent' | 'requested_by_customer' | null = null, options?: ChangeOptions): StripeObject {
    return this.out('payment_intent', payments.cancelPaymentIntent(this.state, this.seq('payment_intent', id), reason, this.change(options)));
  }

  updatePaymentIntent(id: string, patch: { description?: string | null; metadata?: Meta }): StripeObject {
    return this.out('payment_intent', payments.updatePaymentIntent(this.state, this.seq('payment_intent', id), patch));
  }

  /**
   * A card charge, by default through a new PaymentIntent (as the current API makes them); `payment_intent:
   * false` makes a legacy direct charge. A succeeded, captured charge books a balance transaction.
   */
  createCharge(
    input: { amount: number; currency?: string; customer?: string | null; description?: string | null; status?: ChargeStatus; captured?: boolean; payment_intent?: boolean; billing_name?: string | null; receipt_email?: string | null; metadata?: Meta },
    options?: ChangeOptions,
  ): StripeObject {
    const customerSeq = this.optionalSeq('customer', input.customer);
    const customer = customerSeq > 0 ? this.state.tables.customer.get(customerSeq) : undefined;
    const record = payments.createCharge(
      this.state,
      {
        amount: input.amount,
        currency: input.currency ?? 'usd',
        customer: customerSeq,
        description: input.description ?? null,
        status: input.status ?? 'succeeded',
        captured: input.captured ?? true,
        paymentIntent: input.payment_intent === false ? 'none' : 'new',
        billingName: input.billing_name ?? customer?.name ?? null,
        receiptEmail: input.receipt_email ?? customer?.email ?? null,
        metadata: input.metadata,
      },
      this.change(options),
    );
    return this.out('charge', record);
  }

  updateCharge(id: string, patch: { description?: string | null; receipt_email?: string | null; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    const record = payments.updateCharge(this.state, this.seq('charge', id), { description: patch.description, receiptEmail: patch.receipt_email, metadata: patch.metadata }, this.change(options));
    return this.out('charge', record);
  }

  captureCharge(id: string, options?: ChangeOptions): StripeObject {
    return this.out('charge', payments.captureCharge(this.state, this.seq('charge', id), this.change(options)));
  }

  /** Refunds (part of) a charge; the charge's amount_refunded/refunded change and a balance transaction is booked. */
  createRefund(input: { charge: string; amount?: number; reason?: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    const record = payments.createRefund(this.state, { charge: this.seq('charge', input.charge), amount: input.amount, reason: input.reason, metadata: input.metadata }, this.change(options));
    return this.out('refund', record);
  }

  updateRefund(id: string, patch: { metadata?: Meta }, options?: ChangeOptions): StripeObject {
    return this.out('refund', payments.updateRefund(this.state, this.seq('refund', id), patch, this.change(options)));
  }

  createDispute(input: { charge: string; amount?: number; reason?: string; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    const record = payments.createDispute(this.state, { charge: this.seq('charge', input.charge), amount: input.amount, reason: input.reason, metadata: input.metadata }, this.change(options));
    return this.out('dispute', record);
  }

  updateDispute(id: string, patch: { status?: DisputeStatus; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    return this.out('dispute', payments.updateDispute(this.state, this.seq('dispute', id), patch, this.change(options)));
  }

  /** A manual payout (automatic ones come from the generator). */
  createPayout(input: { amount: number; currency?: string; arrival_date?: number; status?: PayoutStatus; description?: string | null; method?: 'standard' | 'instant'; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    const change = this.change(options);
    const record = payments.createPayout(
      this.state,
      {
        amount: input.amount,
        currency: input.currency ?? 'usd',
        arrivalDate: input.arrival_date ?? change.at + 2 * 86_400,
        status: input.status ?? 'pending',
        automatic: false,
        description: input.description ?? null,
        method: input.method ?? 'standard',
        coversFrom: change.at,
        metadata: input.metadata,
      },
      change,
    );
    return this.out('payout', record);
  }

  updatePayout(id: string, patch: { status?: PayoutStatus; description?: string | null; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    return this.out('payout', payments.updatePayout(this.state, this.seq('payout', id), patch, this.change(options)));
  }

  // Billing

  /** A subscription to a recurring price; its first period is invoiced (and paid) at once, as Stripe does. */
  createSubscription(input: { customer: string; price: string; quantity?: number; status?: SubscriptionStatus; collection_method?: 'charge_automatically' | 'send_invoice'; description?: string | null; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    const record = billing.createSubscription(
      this.state,
      {
        customer: this.seq('customer', input.customer),
        price: this.seq('price', input.price),
        quantity: input.quantity,
        status: input.status,
        collectionMethod: input.collection_method,
        description: input.description,
        metadata: input.metadata,
      },
      this.change(options),
    );
    return this.out('subscription', record);
  }

  updateSubscription(id: string, patch: { cancel_at_period_end?: boolean; quantity?: number; status?: SubscriptionStatus; description?: string | null; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    const { cancel_at_period_end: cancelAtPeriodEnd, ...rest } = patch;
    return this.out('subscription', billing.updateSubscription(this.state, this.seq('subscription', id), { ...rest, cancelAtPeriodEnd }, this.change(options)));
  }

  /** Starts the next period and invoices it (`pay: false` leaves the invoice open and the subscription past_due). */
  renewSubscription(id: string, input: { pay?: boolean } = {}, options?: ChangeOptions): StripeObject {
    return this.out('subscription', billing.renewSubscription(this.state, this.seq('subscription', id), this.change(options), input.pay ?? true));
  }

  cancelSubscription(id: string, options?: ChangeOptions): StripeObject {
    return this.out('subscription', billing.cancelSubscription(this.state, this.seq('subscription', id), this.change(options)));
  }

  createInvoice(
    input: { customer: string; price?: string; quantity?: number; amount?: number; currency?: string; subscription?: string; collection_method?: 'charge_automatically' | 'send_invoice'; description?: string | null; status?: 'draft' | 'open' | 'paid'; metadata?: Meta },
    options?: ChangeOptions,
  ): StripeObject {
    const record = billing.createInvoice(
      this.state,
      {
        customer: this.seq('customer', input.customer),
        price: input.price === undefined ? undefined : this.seq('price', input.price),
        subscription: input.subscription === undefined ? undefined : this.seq('subscription', input.subscription),
        quantity: input.quantity,
        amount: input.amount,
        currency: input.currency,
        collectionMethod: input.collection_method,
        description: input.description,
        status: input.status,
        metadata: input.metadata,
      },
      this.change(options),
    );
    return this.out('invoice', record);
  }

  updateInvoice(id: string, patch: { description?: string | null; metadata?: Meta }, options?: ChangeOptions): StripeObject {
    return this.out('invoice', billing.updateInvoice(this.state, this.seq('invoice', id), patch, this.change(options)));
  }

  finalizeInvoice(id: string, options?: ChangeOptions): StripeObject {
    return this.out('invoice', billing.finalizeInvoice(this.state, this.seq('invoice', id), this.change(options)));
  }

  payInvoice(id: string, options?: ChangeOptions): StripeObject {
    return this.out('invoice', billing.payInvoice(this.state, this.seq('invoice', id), this.change(options)));
  }

  voidInvoice(id: string, options?: ChangeOptions): StripeObject {
    return this.out('invoice', billing.voidInvoice(this.state, this.seq('invoice', id), this.change(options)));
  }

  markInvoiceUncollectible(id: string, options?: ChangeOptions): StripeObject {
    return this.out('invoice', billing.markInvoiceUncollectible(this.state, this.seq('invoice', id), this.change(options)));
  }

  /** Deletes a draft invoice; afterwards it is gone (404), as in Stripe. */
  deleteInvoice(id: string, options?: ChangeOptions): StripeObject {
    const record = billing.deleteInvoice(this.state, this.seq('invoice', id), this.change(options));
    return renderDeletedStub(this.state, 'invoice', record.seq) as StripeObject;
  }

  // Reading

  /** The object as the API would render it now (deleted ones included, as they were); null if unknown. */
  retrieve(kind: ResourceKind, id: string): StripeObject | null {
    const seq = this.state.ids.decode(kind, id);
    const record = seq === null ? undefined : this.state.tables[kind].get(seq);
    return record ? (renderRecord(this.state, kind, record as never) as StripeObject) : null;
  }

  /** Ids of the objects a list would show (not deleted), newest first; `created` bounds are inclusive epoch seconds. */
  ids(kind: ResourceKind, window: { from?: number; to?: number } = {}): string[] {
    const table = this.state.tables[kind];
    const out: string[] = [];
    const order = table.ascending();
    for (let i = order.length - 1; i >= 0; i -= 1) {
      const record = table.get(order[i] as number);
      if (!record || record.deleted) continue;
      if ((window.from !== undefined && record.created < window.from) || (window.to !== undefined && record.created > window.to)) continue;
      out.push(this.state.ids.encode(kind, record.seq));
    }
    return out;
  }

  /** How many objects of a kind a list would show (not deleted). */
  count(kind: ResourceKind): number {
    return this.state.tables[kind].size;
  }

  /** Events within retention, newest first, rendered as the API would. */
  events(filter: { type?: string } = {}): StripeObject[] {
    const out: StripeObject[] = [];
    const order = this.state.events.ascending();
    for (let i = order.length - 1; i >= 0; i -= 1) {
      const event = this.state.events.get(order[i] as number);
      if (!event || !this.state.eventVisible(event) || (filter.type !== undefined && event.type !== filter.type)) continue;
      out.push(renderEvent(this.state, event) as StripeObject);
    }
    return out;
  }

  private change(options: ChangeOptions | undefined): Change {
    return {
      at: options?.at ?? this.state.nowSeconds(),
      request: this.state.newRequest({ automatic: options?.automatic }),
      idempotencyKey: options?.idempotency_key ?? null,
    };
  }

  private seq(kind: IdKind, id: string): number {
    const seq = this.state.ids.decode(kind, id);
    if (seq === null) throw new Error(`No such ${kind}: '${id}'`);
    const table = (this.state.tables as Record<string, { get(seq: number): unknown }>)[kind];
    if (table && !table.get(seq)) throw new Error(`No such ${kind}: '${id}'`);
    return seq;
  }

  private optionalSeq(kind: IdKind, id: string | null | undefined): number {
    return id === undefined || id === null ? 0 : this.seq(kind, id);
  }

  private out<K extends ResourceKind>(kind: K, record: unknown): StripeObject {
    return renderRecord(this.state, kind, record as never) as StripeObject;
  }
}
