import type { AccountState } from './account-state.js';
import { idOrNull } from './render-payments.js';
import type { CustomerRecord, InvoiceRecord, PriceRecord, ProductRecord, SubscriptionRecord } from './records.js';

/** Customers, products, prices, subscriptions and invoices in the current API's shape (2026 fixtures' field sets). */

type Json = Record<string, unknown>;

export function invoicePrefix(state: AccountState, customerSeq: number): string {
  return state.ids.token('invoice_prefix', customerSeq, 8).toUpperCase();
}

export function renderCustomer(state: AccountState, c: CustomerRecord): Json {
  return {
    id: state.ids.encode('customer', c.seq),
    object: 'customer',
    address: null,
    balance: c.balance,
    created: c.created,
    currency: c.currency,
    default_source: null,
    delinquent: c.delinquent,
    description: c.description,
    discount: null,
    email: c.email,
    invoice_prefix: invoicePrefix(state, c.seq),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: c.metadata,
    name: c.name,
    next_invoice_sequence: (state.invoiceNumbers.get(c.seq) ?? 0) + 1,
    phone: c.phone,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

export function renderProduct(state: AccountState, p: ProductRecord): Json {
  return {
    id: state.ids.encode('product', p.seq),
    object: 'product',
    active: p.active,
    created: p.created,
    default_price: idOrNull(state, 'price', p.defaultPrice),
    description: p.description,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: p.metadata,
    name: p.name,
    package_dimensions: null,
    shippable: p.shippable,
    statement_descriptor: null,
    tax_code: null,
    type: p.type,
    unit_label: null,
    updated: p.updated,
    url: p.url,
  };
}

export function renderPrice(state: AccountState, p: PriceRecord): Json {
  return {
    id: state.ids.encode('price', p.seq),
    object: 'price',
    active: p.active,
    billing_scheme: 'per_unit',
    created: p.created,
    currency: p.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: p.lookupKey,
    metadata: p.metadata,
    nickname: p.nickname,
    product: state.ids.encode('product', p.product),
    recurring: p.interval ? { interval: p.interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' } : null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: p.interval ? 'recurring' : 'one_time',
    unit_amount: p.unitAmount,
    unit_amount_decimal: String(p.unitAmount),
  };
}

/** The legacy plan view of a recurring price that subscription items still carry. */
function renderPlan(state: AccountState, p: PriceRecord): Json {
  return {
    id: state.ids.encode('price', p.seq),
    object: 'plan',
    active: p.active,
    amount: p.unitAmount,
    amount_decimal: String(p.unitAmount),
    billing_scheme: 'per_unit',
    created: p.created,
    currency: p.currency,
    interval: p.interval ?? 'month',
    interval_count: 1,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: p.nickname,
    product: state.ids.encode('product', p.product),
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}

export function renderSubscription(state: AccountState, s: SubscriptionRecord): Json {
  const id = state.ids.encode('subscription', s.seq);
  const price = state.tables.price.get(s.price);
  const canceled = s.status === 'canceled';
  return {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: s.startDate,
    billing_cycle_anchor_config: null,
    billing_mode: { type: 'classic' },
    billing_thresholds: null,
    cancel_at: s.cancelAtPeriodEnd ? s.currentPeriodEnd : null,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    canceled_at: s.canceledAt || null,
    cancellation_details: { comment: null, feedback: null, reason: canceled ? 'cancellation_requested' : null },
    collection_method: s.collectionMethod,
    created: s.created,
    currency: price?.currency ?? 'usd',
    customer: state.ids.encode('customer', s.customer),
    customer_account: null,
    days_until_due: s.collectionMethod === 'send_invoice' ? 30 : null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: s.description,
    discounts: [],
    ended_at: s.endedAt || null,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items: {
      object: 'list',
      data: price
        ? [
            {
              id: state.ids.encode('subscription_item', s.seq),
              object: 'subscription_item',
              billing_thresholds: null,
              created: s.created,
              current_period_end: s.currentPeriodEnd,
              current_period_start: s.currentPeriodStart,
              discounts: [],
              metadata: {},
              plan: renderPlan(state, price),
              price: renderPrice(state, price),
              quantity: s.quantity,
              subscription: id,
              tax_rates: [],
            },
          ]
        : [],
      has_more: false,
      total_count: price ? 1 : 0,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: idOrNull(state, 'invoice', s.latestInvoice),
    livemode: false,
    metadata: s.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: s.startDate,
    status: s.status,
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
    trial_start: null,
  };
}

export function renderInvoice(state: AccountState, inv: InvoiceRecord): Json {
  const id = state.ids.encode('invoice', inv.seq);
  const customer = state.tables.customer.get(inv.customer);
  const price = state.tables.price.get(inv.price);
  const product = price ? state.tables.product.get(price.product) : undefined;
  const draft = inv.status === 'draft';
  const subscriptionId = idOrNull(state, 'subscription', inv.subscription);
  const unitAmount = price?.unitAmount ?? inv.total;
  const amountRemaining = inv.status === 'paid' || inv.status === 'void' ? 0 : inv.total - inv.amountPaid;
  const hostedToken = state.ids.token('hosted_invoice', inv.seq, 24);
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Tributary Stand-in',
    account_tax_ids: null,
    amount_due: inv.total,
    amount_overpaid: 0,
    amount_paid: inv.amountPaid,
    amount_remaining: amountRemaining,
    amount_shipping: 0,
    application: null,
    attempt_count: inv.paidAt || inv.status === 'uncollectible' ? 1 : 0,
    attempted: inv.paidAt > 0 || inv.status === 'uncollectible',
    auto_advance: draft || inv.status === 'open',
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: draft ? inv.created + 3600 : null,
    billing_reason: inv.billingReason,
    collection_method: inv.collectionMethod,
    created: inv.created,
    currency: inv.currency,
    custom_fields: null,
    customer: state.ids.encode('customer', inv.customer),
    customer_account: null,
    customer_address: null,
    customer_email: customer?.email ?? null,
    customer_name: customer?.name ?? null,
    customer_phone: customer?.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: inv.description,
    discounts: [],
    due_date: inv.dueDate || null,
    effective_at: inv.finalizedAt || null,
    ending_balance: draft ? null : 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: draft ? null : `https://invoice.stripe.com/i/acct_standin/test_${hostedToken}`,
    invoice_pdf: draft ? null : `https://pay.stripe.com/invoice/acct_standin/test_${hostedToken}/pdf`,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: {
      object: 'list',
      data: [
        {
          id: state.ids.encode('line_item', inv.seq),
          object: 'line_item',
          amount: inv.total,
          currency: inv.currency,
          description: product ? `${inv.quantity} × ${product.name}` : inv.description,
          discount_amounts: [],
          discountable: true,
          discounts: [],
          invoice: id,
          livemode: false,
          metadata: {},
          parent: subscriptionId
            ? {
                invoice_item_details: null,
                subscription_item_details: {
                  invoice_item: null,
                  proration: false,
                  proration_details: { credited_items: null },
                  subscription: subscriptionId,
                  subscription_item: state.ids.encode('subscription_item', inv.subscription),
                },
                type: 'subscription_item_details',
              }
            : {
                invoice_item_details: { invoice_item: state.ids.encode('invoice_item', inv.seq), proration: false, proration_details: { credited_items: null }, subscription: null },
                subscription_item_details: null,
                type: 'invoice_item_details',
              },
          period: { end: inv.periodEnd, start: inv.periodStart },
          pretax_credit_amounts: [],
          pricing: price
            ? { price_details: { price: state.ids.encode('price', price.seq), product: state.ids.encode('product', price.product) }, type: 'price_details', unit_amount_decimal: String(unitAmount) }
            : null,
          quantity: inv.quantity,
          subtotal: inv.total,
          taxes: [],
        },
      ],
      has_more: false,
      total_count: 1,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: false,
    metadata: inv.metadata,
    next_payment_attempt: inv.status === 'open' && inv.collectionMethod === 'charge_automatically' ? inv.created + 3 * 86_400 : null,
    number: draft ? null : `${invoicePrefix(state, inv.customer)}-${String(inv.number).padStart(4, '0')}`,
    on_behalf_of: null,
    parent: subscriptionId ? { quote_details: null, subscription_details: { metadata: {}, subscription: subscriptionId }, type: 'subscription_details' } : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: inv.periodEnd,
    period_start: inv.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: inv.status,
    status_transitions: {
      finalized_at: inv.finalizedAt || null,
      marked_uncollectible_at: inv.markedUncollectibleAt || null,
      paid_at: inv.paidAt || null,
      voided_at: inv.voidedAt || null,
    },
    subtotal: inv.total,
    subtotal_excluding_tax: inv.total,
    test_clock: null,
    total: inv.total,
    total_discount_amounts: [],
    total_excluding_tax: inv.total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: draft ? null : inv.created,
  };
}
