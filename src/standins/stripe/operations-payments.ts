import type { AccountState } from './account-state.js';
import { definedOnly, emit, insertRecord, mergeMetadata, metadataOf, patchRecord, type Change } from './record-changes.js';
import { NO_METADATA, NO_REFUNDS, type BalanceTransactionRecord, type ChargeRecord, type ChargeStatus, type DisputeRecord, type DisputeStatus, type PaymentIntentRecord, type PayoutRecord, type PayoutStatus, type RefundRecord, type SourceKind } from './records.js';

/**
 * Money movements at record level (sequence numbers in, records out), each with the events Stripe sends for it
 * and the balance transactions it books. The account facade and the generator both go through here.
 */

const DAY = 86_400;

/** Stripe's US card pricing: 2.9% + 30 cents. */
export function cardFee(amount: number): number {
  return Math.round(amount * 0.029) + 30;
}

/** Card funds become available two days later, at midnight UTC. */
export function availableOn(created: number): number {
  return Math.floor(created / DAY) * DAY + 2 * DAY;
}

function bookBalance(state: AccountState, change: Change, fields: { amount: number; fee: number; currency: string; type: BalanceTransactionRecord['type']; sourceKind: SourceKind; sourceSeq: number; description: string | null; availableOn?: number }): BalanceTransactionRecord {
  return insertRecord(state, 'balance_transaction', {
    seq: state.tables.balance_transaction.nextSeq(),
    created: change.at,
    deleted: false,
    metadata: NO_METADATA,
    amount: fields.amount,
    fee: fields.fee,
    currency: fields.currency,
    type: fields.type,
    sourceKind: fields.sourceKind,
    sourceSeq: fields.sourceSeq,
    availableOn: fields.availableOn ?? availableOn(change.at),
    description: fields.description,
  });
}

export interface PaymentIntentInput {
  amount: number;
  currency: string;
  customer: number;
  description: string | null;
  metadata?: Record<string, string>;
}

export function createPaymentIntent(state: AccountState, input: PaymentIntentInput, change: Change): PaymentIntentRecord {
  const intent = insertRecord(
    state,
    'payment_intent',
    {
      seq: state.tables.payment_intent.nextSeq(),
      created: change.at,
      deleted: false,
      amount: input.amount,
      amountReceived: 0,
      currency: input.currency,
      customer: input.customer,
      status: 'requires_payment_method',
      latestCharge: 0,
      description: input.description,
      canceledAt: 0,
      cancellationReason: null,
      failedCharge: false,
      metadata: metadataOf(input.metadata),
    },
  );
  emit(state, 'payment_intent.created', 'payment_intent', intent, change);
  return intent;
}

export interface ChargeInput {
  amount: number;
  currency: string;
  customer: number;
  description: string | null;
  status: ChargeStatus;
  captured: boolean;
  /** Charge through a new PaymentIntent (as the current API does) or directly (legacy charges). */
  paymentIntent: number | 'new' | 'none';
  billingName: string | null;
  receiptEmail: string | null;
  metadata?: Record<string, string>;
}

/** A card charge; a successful captured one books its balance transaction. */
export function createCharge(state: AccountState, input: ChargeInput, change: Change): ChargeRecord {
  const intentSeq =
    input.paymentIntent === 'new'
      ? createPaymentIntent(state, { amount: input.amount, currency: input.currency, customer: input.customer, description: input.description, metadata: input.metadata }, change).seq
      : input.paymentIntent === 'none'
        ? 0
        : input.paymentIntent;
  const booked = input.status === 'succeeded' && input.captured;
  const chargeSeq = state.tables.charge.nextSeq();
  const bt = booked
    ? bookBalance(state, change, { amount: input.amount, fee: cardFee(input.amount), currency: input.currency, type: 'charge', sourceKind: 'charge', sourceSeq: chargeSeq, description: input.description })
    : null;
  const charge = insertRecord(
    state,
    'charge',
    {
      seq: state.tables.charge.nextSeq(),
      created: change.at,
      deleted: false,
      amount: input.amount,
      amountRefunded: 0,
      currency: input.currency,
      customer: input.customer,
      paymentIntent: intentSeq,
      status: input.status,
      captured: input.status === 'succeeded' && input.captured,
      disputed: false,
      description: input.description,
      balanceTransaction: bt?.seq ?? 0,
      failureCode: input.status === 'failed' ? 'card_declined' : null,
      billingName: input.billingName,
      receiptEmail: input.receiptEmail,
      refunds: NO_REFUNDS,
      metadata: metadataOf(input.metadata),
    },
  );
  emit(state, `charge.${input.status}`, 'charge', charge, change);
  if (intentSeq > 0) settleIntent(state, intentSeq, charge, change);
  return charge;
}

function settleIntent(state: AccountState, intentSeq: number, charge: ChargeRecord, change: Change): void {
  const succeeded = charge.status === 'succeeded';
  const status = charge.status === 'failed' ? 'requires_payment_method' : succeeded ? (charge.captured ? 'succeeded' : 'requires_capture') : 'processing';
  const { after } = patchRecord(state, 'payment_intent', intentSeq, {
    latestCharge: charge.seq,
    status,
    failedCharge: charge.status === 'failed',
    amountReceived: succeeded && charge.captured ? charge.amount : 0,
  });
  const type = { succeeded: 'payment_intent.succeeded', requires_capture: 'payment_intent.amount_capturable_updated', requires_payment_method: 'payment_intent.payment_failed', processing: 'payment_intent.processing' }[status];
  emit(state, type, 'payment_intent', after, change);
}

export function captureCharge(state: AccountState, chargeSeq: number, change: Change): ChargeRecord {
  const charge = state.tables.charge.get(chargeSeq);
  if (!charge || charge.status !== 'succeeded' || charge.captured) throw new Error('only a succeeded, uncaptured charge can be captured');
  const bt = bookBalance(state, change, { amount: charge.amount, fee: cardFee(charge.amount), currency: charge.currency, type: 'charge', sourceKind: 'charge', sourceSeq: chargeSeq, description: charge.description });
  const { after } = patchRecord(state, 'charge', chargeSeq, { captured: true, balanceTransaction: bt.seq });
  emit(state, 'charge.captured', 'charge', after, change);
  if (after.paymentIntent > 0) {
    const intent = patchRecord(state, 'payment_intent', after.paymentIntent, { status: 'succeeded', amountReceived: after.amount }).after;
    emit(state, 'payment_intent.succeeded', 'payment_intent', intent, change);
  }
  return after;
}

export function updateCharge(state: AccountState, chargeSeq: number, patch: { description?: string | null; receiptEmail?: string | null; metadata?: Record<string, string> }, change: Change): ChargeRecord {
  const current = state.tables.charge.get(chargeSeq);
  if (!current) throw new Error(`no charge ${chargeSeq}`);
  const { before, after } = patchRecord(state, 'charge', chargeSeq, {
    ...definedOnly({ description: patch.description, receiptEmail: patch.receiptEmail }),
    metadata: mergeMetadata(current.metadata, patch.metadata),
  });
  emit(state, 'charge.updated', 'charge', after, change, before);
  return after;
}

export function createRefund(state: AccountState, input: { charge: number; amount?: number; reason?: RefundRecord['reason']; metadata?: Record<string, string> }, change: Change): RefundRecord {
  const charge = state.tables.charge.get(input.charge);
  if (!charge) throw new Error(`no charge ${input.charge}`);
  if (charge.status !== 'succeeded') throw new Error(`charge ${input.charge} is ${charge.status}: only succeeded charges can be refunded`);
  const refundable = charge.amount - charge.amountRefunded;
  const amount = input.amount ?? refundable;
  if (!Number.isInteger(amount) || amount < 1 || amount > refundable) throw new Error(`refund amount ${amount} must be 1..${refundable}`);
  const refundSeq = state.tables.refund.nextSeq();
  const bt = charge.captured
    ? bookBalance(state, change, { amount: -amount, fee: 0, currency: charge.currency, type: 'refund', sourceKind: 'refund', sourceSeq: refundSeq, description: 'REFUND FOR CHARGE' })
    : null;
  const refund = insertRecord(
    state,
    'refund',
    {
      seq: state.tables.refund.nextSeq(),
      created: change.at,
      deleted: false,
      amount,
      charge: charge.seq,
      paymentIntent: charge.paymentIntent,
      currency: charge.currency,
      status: 'succeeded',
      reason: input.reason ?? null,
      balanceTransaction: bt?.seq ?? 0,
      metadata: metadataOf(input.metadata),
    },
  );
  emit(state, 'refund.created', 'refund', refund, change);
  // The refund changes its charge: amount_refunded, refunded, and the embedded refunds list.
  const { after } = patchRecord(state, 'charge', charge.seq, { amountRefunded: charge.amountRefunded + amount, refunds: [...charge.refunds, refund.seq] });
  emit(state, 'charge.refunded', 'charge', after, change);
  return refund;
}

export function updateRefund(state: AccountState, refundSeq: number, patch: { metadata?: Record<string, string> }, change: Change): RefundRecord {
  const current = state.tables.refund.get(refundSeq);
  if (!current) throw new Error(`no refund ${refundSeq}`);
  const { before, after } = patchRecord(state, 'refund', refundSeq, { metadata: mergeMetadata(current.metadata, patch.metadata) });
  emit(state, 'refund.updated', 'refund', after, change, before);
  return after;
}

export function createDispute(state: AccountState, input: { charge: number; amount?: number; reason?: string; metadata?: Record<string, string> }, change: Change): DisputeRecord {
  const charge = state.tables.charge.get(input.charge);
  if (!charge || charge.status !== 'succeeded' || !charge.captured) throw new Error(`charge ${input.charge} cannot be disputed: it must be succeeded and captured`);
  if (charge.disputed) throw new Error(`charge ${input.charge} is already disputed`);
  const amount = input.amount ?? charge.amount;
  const disputeSeq = state.tables.dispute.nextSeq();
  const bt = bookBalance(state, change, { amount: -amount, fee: 1500, currency: charge.currency, type: 'adjustment', sourceKind: 'dispute', sourceSeq: disputeSeq, description: `Chargeback withdrawal for ${state.ids.encode('charge', charge.seq)}` });
  const dispute = insertRecord(
    state,
    'dispute',
    {
      seq: state.tables.dispute.nextSeq(),
      created: change.at,
      deleted: false,
      amount,
      charge: charge.seq,
      paymentIntent: charge.paymentIntent,
      currency: charge.currency,
      reason: input.reason ?? 'fraudulent',
      status: 'needs_response',
      balanceTransaction: bt.seq,
      evidenceDueBy: Math.floor(change.at / DAY) * DAY + 8 * DAY - 1,
      metadata: metadataOf(input.metadata),
    },
  );
  patchRecord(state, 'charge', charge.seq, { disputed: true });
  emit(state, 'charge.dispute.created', 'dispute', dispute, change);
  emit(state, 'charge.dispute.funds_withdrawn', 'dispute', dispute, change);
  return dispute;
}

export function updateDispute(state: AccountState, disputeSeq: number, patch: { status?: DisputeStatus; metadata?: Record<string, string> }, change: Change): DisputeRecord {
  const current = state.tables.dispute.get(disputeSeq);
  if (!current) throw new Error(`no dispute ${disputeSeq}`);
  const { before, after } = patchRecord(state, 'dispute', disputeSeq, { ...definedOnly({ status: patch.status }), metadata: mergeMetadata(current.metadata, patch.metadata) });
  const closes = patch.status !== undefined && patch.status !== current.status && (patch.status === 'won' || patch.status === 'lost' || patch.status === 'warning_closed');
  if (closes) {
    emit(state, 'charge.dispute.closed', 'dispute', after, change);
    if (patch.status === 'won') emit(state, 'charge.dispute.funds_reinstated', 'dispute', after, change);
  } else {
    emit(state, 'charge.dispute.updated', 'dispute', after, change, before);
  }
  return after;
}

export interface PayoutInput {
  amount: number;
  currency: string;
  arrivalDate: number;
  status: PayoutStatus;
  automatic: boolean;
  description: string | null;
  method: 'standard' | 'instant';
  coversFrom: number;
  metadata?: Record<string, string>;
}

export function createPayout(state: AccountState, input: PayoutInput, change: Change): PayoutRecord {
  const { metadata, ...fields } = input;
  const payoutSeq = state.tables.payout.nextSeq();
  const bt = bookBalance(state, change, { amount: -input.amount, fee: 0, currency: input.currency, type: 'payout', sourceKind: 'payout', sourceSeq: payoutSeq, description: input.description, availableOn: change.at });
  const payout = insertRecord(state, 'payout', { seq: payoutSeq, created: change.at, deleted: false, ...fields, balanceTransaction: bt.seq, metadata: metadataOf(metadata) });
  emit(state, 'payout.created', 'payout', payout, change);
  return payout;
}

export function updatePayout(state: AccountState, payoutSeq: number, patch: { status?: PayoutStatus; description?: string | null; metadata?: Record<string, string> }, change: Change): PayoutRecord {
  const current = state.tables.payout.get(payoutSeq);
  if (!current) throw new Error(`no payout ${payoutSeq}`);
  const { before, after } = patchRecord(state, 'payout', payoutSeq, {
    ...definedOnly({ status: patch.status, description: patch.description }),
    metadata: mergeMetadata(current.metadata, patch.metadata),
  });
  const statusEvent = patch.status !== undefined && patch.status !== current.status ? { paid: 'payout.paid', failed: 'payout.failed', canceled: 'payout.canceled' }[patch.status as string] : undefined;
  if (statusEvent) emit(state, statusEvent, 'payout', after, change);
  else emit(state, 'payout.updated', 'payout', after, change, before);
  return after;
}

export function cancelPaymentIntent(state: AccountState, intentSeq: number, reason: string | null, change: Change): PaymentIntentRecord {
  const current = state.tables.payment_intent.get(intentSeq);
  if (!current) throw new Error(`no payment intent ${intentSeq}`);
  if (current.status === 'succeeded' || current.status === 'canceled') throw new Error(`a ${current.status} PaymentIntent cannot be canceled`);
  const { after } = patchRecord(state, 'payment_intent', intentSeq, { status: 'canceled', canceledAt: change.at, cancellationReason: reason });
  emit(state, 'payment_intent.canceled', 'payment_intent', after, change);
  return after;
}

/** Stripe sends no event for a PaymentIntent's description or metadata change. */
export function updatePaymentIntent(state: AccountState, intentSeq: number, patch: { description?: string | null; metadata?: Record<string, string> }): PaymentIntentRecord {
  const current = state.tables.payment_intent.get(intentSeq);
  if (!current) throw new Error(`no payment intent ${intentSeq}`);
  return patchRecord(state, 'payment_intent', intentSeq, { ...definedOnly({ description: patch.description }), metadata: mergeMetadata(current.metadata, patch.metadata) }).after;
}
