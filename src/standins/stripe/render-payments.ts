import type { AccountState } from './account-state.js';
import type { IdKind } from './ids.js';
import type { BalanceTransactionRecord, ChargeRecord, DisputeRecord, PaymentIntentRecord, PayoutRecord, RefundRecord } from './records.js';

/**
 * Charges, payment intents, refunds, disputes, balance transactions and payouts in the shape of the current API
 * (field sets from Stripe's 2026 fixtures), filled with consistent values instead of the fixtures' placeholders.
 */

type Json = Record<string, unknown>;

export function idOrNull(state: AccountState, kind: IdKind, seq: number): string | null {
  return seq > 0 ? state.ids.encode(kind, seq) : null;
}

const NULL_ADDRESS = Object.freeze({ city: null, country: null, line1: null, line2: null, postal_code: null, state: null });

const BRANDS = ['visa', 'visa', 'visa', 'visa', 'visa', 'visa', 'mastercard', 'mastercard', 'mastercard', 'amex'] as const;

/** Card details are derived from the charge's sequence number, so they cost nothing to keep. */
export function cardOf(state: AccountState, chargeSeq: number): { brand: string; last4: string; expMonth: number; expYear: number; fingerprint: string } {
  const digits = state.ids.token('card', chargeSeq, 6);
  const code = digits.charCodeAt(0) + digits.charCodeAt(1) * 7 + digits.charCodeAt(2) * 13;
  const brand = BRANDS[code % BRANDS.length] as string;
  const last4 = String(1000 + ((code * 7919 + digits.charCodeAt(3) * 31) % 9000));
  return { brand, last4, expMonth: 1 + (code % 12), expYear: 2027 + (code % 6), fingerprint: state.ids.token('fingerprint', chargeSeq, 16) };
}

export function renderCharge(state: AccountState, c: ChargeRecord): Json {
  const id = state.ids.encode('charge', c.seq);
  const card = cardOf(state, c.seq);
  const succeeded = c.status === 'succeeded';
  const failed = c.status === 'failed';
  const refunds = c.refunds.slice(-10).reverse();
  return {
    id,
    object: 'charge',
    amount: c.amount,
    amount_captured: succeeded && c.captured ? c.amount : 0,
    amount_refunded: c.amountRefunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: idOrNull(state, 'balance_transaction', c.balanceTransaction),
    billing_details: { address: NULL_ADDRESS, email: c.receiptEmail, name: c.billingName, phone: null, tax_id: null },
    calculated_statement_descriptor: succeeded ? 'TRIBUTARY STAND-IN' : null,
    captured: c.captured,
    created: c.created,
    currency: c.currency,
    customer: idOrNull(state, 'customer', c.customer),
    description: c.description,
    disputed: c.disputed,
    failure_balance_transaction: null,
    failure_code: c.failureCode,
    failure_message: failed ? 'Your card was declined.' : null,
    fraud_details: {},
    livemode: false,
    metadata: c.metadata,
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: failed ? 'declined_by_network' : 'approved_by_network',
      reason: failed ? 'generic_decline' : null,
      risk_level: 'normal',
      risk_score: (c.seq * 37) % 60,
      seller_message: failed ? 'The bank did not return any further details with this decline.' : 'Payment complete.',
      type: failed ? 'issuer_declined' : 'authorized',
    },
    paid: succeeded,
    payment_intent: idOrNull(state, 'payment_intent', c.paymentIntent),
    payment_method: state.ids.encode('payment_method', c.seq),
    payment_method_details: {
      card: {
        amount_authorized: failed ? null : c.amount,
        authorization_code: failed ? null : state.ids.token('auth', c.seq, 6).toUpperCase(),
        brand: card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: 'US',
        exp_month: card.expMonth,
        exp_year: card.expYear,
        extended_authorization: { status: 'disabled' },
        fingerprint: card.fingerprint,
        funding: 'credit',
        incremental_authorization: { status: 'unavailable' },
        installments: null,
        last4: card.last4,
        mandate: null,
        multicapture: { status: 'unavailable' },
        network: card.brand,
        network_token: { used: false },
        network_transaction_id: state.ids.token('network', c.seq, 15),
        overcapture: { maximum_amount_capturable: c.amount, status: 'unavailable' },
        regulated_status: 'unregulated',
        three_d_secure: null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: c.receiptEmail,
    receipt_number: null,
    receipt_url: succeeded ? `https://pay.stripe.com/receipts/payment/${state.ids.token('receipt', c.seq, 40)}` : null,
    refunded: c.amount > 0 && c.amountRefunded === c.amount,
    refunds: {
      object: 'list',
      data: refunds.flatMap((seq) => {
        const refund = state.tables.refund.get(seq);
        return refund ? [renderRefund(state, refund)] : [];
      }),
      has_more: c.refunds.length > refunds.length,
      total_count: c.refunds.length,
      url: `/v1/charges/${id}/refunds`,
    },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: c.status,
    transfer_data: null,
    transfer_group: null,
  };
}

export function renderPaymentIntent(state: AccountState, p: PaymentIntentRecord): Json {
  const id = state.ids.encode('payment_intent', p.seq);
  const charged = p.latestCharge > 0;
  return {
    id,
    object: 'payment_intent',
    amount: p.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: p.amountReceived,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: { allow_redirects: 'always', enabled: true },
    canceled_at: p.canceledAt || null,
    cancellation_reason: p.cancellationReason,
    capture_method: 'automatic',
    client_secret: `${id}_secret_${state.ids.token('client_secret', p.seq, 25)}`,
    confirmation_method: 'automatic',
    created: p.created,
    currency: p.currency,
    customer: idOrNull(state, 'customer', p.customer),
    customer_account: null,
    description: p.description,
    excluded_payment_method_types: null,
    last_payment_error: p.failedCharge
      ? {
          charge: idOrNull(state, 'charge', p.latestCharge),
          code: 'card_declined',
          decline_code: 'generic_decline',
          doc_url: 'https://stripe.com/docs/error-codes/card-declined',
          message: 'Your card was declined.',
          type: 'card_error',
        }
      : null,
    latest_charge: idOrNull(state, 'charge', p.latestCharge),
    livemode: false,
    metadata: p.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: charged && p.status === 'succeeded' ? state.ids.encode('payment_method', p.latestCharge) : null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: p.status,
    transfer_data: null,
    transfer_group: null,
  };
}

export function renderRefund(state: AccountState, r: RefundRecord): Json {
  const charge = state.tables.charge.get(r.charge);
  return {
    id: state.ids.encode('refund', r.seq),
    object: 'refund',
    amount: r.amount,
    balance_transaction: idOrNull(state, 'balance_transaction', r.balanceTransaction),
    charge: idOrNull(state, 'charge', r.charge),
    created: r.created,
    currency: r.currency,
    customer: charge ? idOrNull(state, 'customer', charge.customer) : null,
    customer_account: null,
    destination_details: {
      card: { reference: null, reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata: r.metadata,
    payment_intent: idOrNull(state, 'payment_intent', r.paymentIntent),
    payment_method: idOrNull(state, 'payment_method', r.charge),
    reason: r.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: r.status,
    transfer_reversal: null,
  };
}

const REPORTING_CATEGORY: Record<BalanceTransactionRecord['type'], string> = {
  charge: 'charge',
  refund: 'refund',
  adjustment: 'dispute',
  payout: 'payout',
  stripe_fee: 'fee',
};

export function balanceTransactionSourceId(state: AccountState, b: BalanceTransactionRecord): string | null {
  return b.sourceKind ? idOrNull(state, b.sourceKind, b.sourceSeq) : null;
}

export function renderBalanceTransaction(state: AccountState, b: BalanceTransactionRecord): Json {
  return {
    id: state.ids.encode('balance_transaction', b.seq),
    object: 'balance_transaction',
    amount: b.amount,
    available_on: b.availableOn,
    balance_type: 'payments',
    created: b.created,
    currency: b.currency,
    description: b.description,
    exchange_rate: null,
    fee: b.fee,
    fee_details: b.fee === 0 ? [] : [{ amount: b.fee, application: null, currency: b.currency, description: b.type === 'adjustment' ? 'Dispute fee' : 'Stripe processing fees', type: 'stripe_fee' }],
    net: b.amount - b.fee,
    reporting_category: REPORTING_CATEGORY[b.type],
    source: balanceTransactionSourceId(state, b),
    // Funds become available on their date: a time rule read from the account clock.
    status: b.availableOn <= state.nowSeconds() ? 'available' : 'pending',
    type: b.type,
  };
}

export function renderDispute(state: AccountState, d: DisputeRecord): Json {
  const card = cardOf(state, d.charge);
  const bt = state.tables.balance_transaction.get(d.balanceTransaction);
  const closed = d.status === 'won' || d.status === 'lost' || d.status === 'warning_closed';
  return {
    id: state.ids.encode('dispute', d.seq),
    object: 'dispute',
    amount: d.amount,
    balance_transactions: bt ? [renderBalanceTransaction(state, bt)] : [],
    charge: state.ids.encode('charge', d.charge),
    created: d.created,
    currency: d.currency,
    enhanced_eligibility_types: [],
    evidence: {
      access_activity_log: null,
      billing_address: null,
      cancellation_policy: null,
      cancellation_policy_disclosure: null,
      cancellation_rebuttal: null,
      customer_communication: null,
      customer_email_address: null,
      customer_name: null,
      customer_purchase_ip: null,
      customer_signature: null,
      duplicate_charge_documentation: null,
      duplicate_charge_explanation: null,
      duplicate_charge_id: null,
      enhanced_evidence: {},
      product_description: null,
      receipt: null,
      refund_policy: null,
      refund_policy_disclosure: null,
      refund_refusal_explanation: null,
      service_date: null,
      service_documentation: null,
      shipping_address: null,
      shipping_carrier: null,
      shipping_date: null,
      shipping_documentation: null,
      shipping_tracking_number: null,
      uncategorized_file: null,
      uncategorized_text: null,
    },
    evidence_details: {
      due_by: closed ? null : d.evidenceDueBy,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: !closed && d.evidenceDueBy < state.nowSeconds(),
      submission_count: 0,
    },
    is_charge_refundable: false,
    livemode: false,
    metadata: d.metadata,
    payment_intent: idOrNull(state, 'payment_intent', d.paymentIntent),
    payment_method_details: { card: { brand: card.brand, case_type: 'chargeback', network_reason_code: '10.4' }, type: 'card' },
    reason: d.reason,
    status: d.status,
  };
}

export function renderPayout(state: AccountState, p: PayoutRecord): Json {
  return {
    id: state.ids.encode('payout', p.seq),
    object: 'payout',
    amount: p.amount,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: p.arrivalDate,
    automatic: p.automatic,
    balance_transaction: idOrNull(state, 'balance_transaction', p.balanceTransaction),
    created: p.created,
    currency: p.currency,
    description: p.description,
    destination: state.ids.encode('bank_account', 1),
    failure_balance_transaction: null,
    failure_code: p.status === 'failed' ? 'account_closed' : null,
    failure_message: p.status === 'failed' ? 'The bank account has been closed.' : null,
    livemode: false,
    metadata: p.metadata,
    method: p.method,
    original_payout: null,
    payout_method: null,
    reconciliation_status: p.automatic ? (p.status === 'paid' ? 'completed' : 'in_progress') : 'not_applicable',
    reversed_by: null,
    source_type: 'card',
    statement_descriptor: null,
    status: p.status,
    trace_id: { status: p.status === 'paid' ? 'supported' : 'pending', value: null },
    type: 'bank_account',
  };
}
