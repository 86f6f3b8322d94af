/**
 * The compact form the account keeps: one small immutable object per Stripe object, references held as sequence
 * numbers (0 = none), everything Stripe derives (ids, card details, secrets, nested defaults) left to the
 * renderers. A change replaces the record with a new object, so an event can keep the record it saw as its
 * snapshot without copying anything.
 */

export type Metadata = Readonly<Record<string, string>>;
export const NO_METADATA: Metadata = Object.freeze({});
/** Shared by every charge without refunds (most of a million), instead of one empty array each. */
export const NO_REFUNDS: readonly number[] = Object.freeze([]);

export interface BaseRecord {
  readonly seq: number;
  /** Epoch seconds; never changes after creation, so list order is fixed at insert. */
  readonly created: number;
  readonly deleted: boolean;
  readonly metadata: Metadata;
}

export interface CustomerRecord extends BaseRecord {
  readonly email: string | null;
  readonly name: string | null;
  readonly description: string | null;
  readonly phone: string | null;
  readonly balance: number;
  readonly currency: string | null;
  readonly delinquent: boolean;
}

export interface ProductRecord extends BaseRecord {
  readonly name: string;
  readonly description: string | null;
  readonly active: boolean;
  readonly updated: number;
  readonly defaultPrice: number;
  readonly type: 'good' | 'service';
  readonly shippable: boolean | null;
  readonly url: string | null;
}

export type PriceInterval = 'day' | 'week' | 'month' | 'year';

export interface PriceRecord extends BaseRecord {
  readonly product: number;
  readonly unitAmount: number;
  readonly currency: string;
  /** null: a one-time price. */
  readonly interval: PriceInterval | null;
  readonly active: boolean;
  readonly nickname: string | null;
  readonly lookupKey: string | null;
}

export type PaymentIntentStatus = 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'requires_capture' | 'canceled' | 'succeeded';

export interface PaymentIntentRecord extends BaseRecord {
  readonly amount: number;
  readonly amountReceived: number;
  readonly currency: string;
  readonly customer: number;
  readonly status: PaymentIntentStatus;
  readonly latestCharge: number;
  readonly description: string | null;
  readonly canceledAt: number;
  readonly cancellationReason: string | null;
  readonly failedCharge: boolean;
}

export type ChargeStatus = 'succeeded' | 'pending' | 'failed';

export interface ChargeRecord extends BaseRecord {
  readonly amount: number;
  readonly amountRefunded: number;
  readonly currency: string;
  readonly customer: number;
  readonly paymentIntent: number;
  readonly status: ChargeStatus;
  readonly captured: boolean;
  readonly disputed: boolean;
  readonly description: string | null;
  readonly balanceTransaction: number;
  readonly failureCode: string | null;
  readonly billingName: string | null;
  readonly receiptEmail: string | null;
  /** Refund sequence numbers, oldest first (a new array on each refund). */
  readonly refunds: readonly number[];
}

export interface RefundRecord extends BaseRecord {
  readonly amount: number;
  readonly charge: number;
  readonly paymentIntent: number;
  readonly currency: string;
  readonly status: 'pending' | 'succeeded' | 'failed' | 'canceled' | 'requires_action';
  readonly reason: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null;
  readonly balanceTransaction: number;
}

export type BalanceTransactionType = 'charge' | 'refund' | 'adjustment' | 'payout' | 'stripe_fee';
export type SourceKind = 'charge' | 'refund' | 'dispute' | 'payout';

export interface BalanceTransactionRecord extends BaseRecord {
  readonly amount: number;
  readonly fee: number;
  readonly currency: string;
  readonly type: BalanceTransactionType;
  readonly sourceKind: SourceKind | null;
  readonly sourceSeq: number;
  readonly availableOn: number;
  readonly description: string | null;
}

export type DisputeStatus = 'warning_needs_response' | 'warning_under_review' | 'warning_closed' | 'needs_response' | 'under_review' | 'won' | 'lost';

export interface DisputeRecord extends BaseRecord {
  readonly amount: number;
  readonly charge: number;
  readonly paymentIntent: number;
  readonly currency: string;
  readonly reason: string;
  readonly status: DisputeStatus;
  readonly balanceTransaction: number;
  readonly evidenceDueBy: number;
}

export type PayoutStatus = 'pending' | 'in_transit' | 'paid' | 'failed' | 'canceled';

export interface PayoutRecord extends BaseRecord {
  readonly amount: number;
  readonly currency: string;
  readonly arrivalDate: number;
  readonly status: PayoutStatus;
  readonly balanceTransaction: number;
  readonly automatic: boolean;
  readonly description: string | null;
  readonly method: 'standard' | 'instant';
  /** Automatic payouts pay out the balance transactions created in [coversFrom, created). */
  readonly coversFrom: number;
}

export type SubscriptionStatus = 'active' | 'canceled' | 'incomplete' | 'incomplete_expired' | 'past_due' | 'trialing' | 'unpaid' | 'paused';

export interface SubscriptionRecord extends BaseRecord {
  readonly customer: number;
  readonly price: number;
  readonly quantity: number;
  readonly status: SubscriptionStatus;
  readonly startDate: number;
  readonly currentPeriodStart: number;
  readonly currentPeriodEnd: number;
  readonly cancelAtPeriodEnd: boolean;
  readonly canceledAt: number;
  readonly endedAt: number;
  readonly collectionMethod: 'charge_automatically' | 'send_invoice';
  readonly latestInvoice: number;
  readonly description: string | null;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';

export interface InvoiceRecord extends BaseRecord {
  readonly customer: number;
  readonly subscription: number;
  /** The line's price (0: a one-off amount). */
  readonly price: number;
  readonly quantity: number;
  readonly total: number;
  readonly amountPaid: number;
  readonly currency: string;
  readonly status: InvoiceStatus;
  readonly collectionMethod: 'charge_automatically' | 'send_invoice';
  readonly billingReason: 'manual' | 'subscription_create' | 'subscription_cycle';
  readonly dueDate: number;
  readonly periodStart: number;
  readonly periodEnd: number;
  /** Per-customer invoice number (0 while a draft). */
  readonly number: number;
  readonly finalizedAt: number;
  readonly paidAt: number;
  readonly voidedAt: number;
  readonly markedUncollectibleAt: number;
  readonly description: string | null;
}

export interface ResourceRecords {
  customer: CustomerRecord;
  product: ProductRecord;
  price: PriceRecord;
  payment_intent: PaymentIntentRecord;
  charge: ChargeRecord;
  refund: RefundRecord;
  balance_transaction: BalanceTransactionRecord;
  dispute: DisputeRecord;
  payout: PayoutRecord;
  subscription: SubscriptionRecord;
  invoice: InvoiceRecord;
}

export type ResourceKind = keyof ResourceRecords;
export type AnyResourceRecord = ResourceRecords[ResourceKind];

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  'customer',
  'product',
  'price',
  'payment_intent',
  'charge',
  'refund',
  'balance_transaction',
  'dispute',
  'payout',
  'subscription',
  'invoice',
];

export interface EventRecord extends BaseRecord {
  readonly type: string;
  readonly kind: ResourceKind;
  /** The record as it was right after the change. */
  readonly object: AnyResourceRecord;
  /** The record right before the change (`*.updated`-style events): previous_attributes is their difference. */
  readonly before: AnyResourceRecord | null;
  /** 0: an automatic change (request.id null). */
  readonly requestSeq: number;
  readonly idempotencyKey: string | null;
  readonly apiVersion: string;
}
