import { deriveSeed } from '../seeded-rng.js';
import type { Locations } from './locations.js';
import { money, type Money } from './money.js';
import { formatRfc3339 } from './rfc3339.js';
import { RowTable } from './row-table.js';
import { digits, rowRng } from './sample-data.js';
import { SortIndex } from './sort-index.js';
import type { SquareIds } from './square-ids.js';

/**
 * Payments in columns: what lists filter and sort on (times, location, status, source, amounts, links) is
 * stored; the card, receipt and application details are re-derived from the row's seed when rendered.
 */
export const PAYMENT_STATUSES = ['APPROVED', 'PENDING', 'COMPLETED', 'CANCELED', 'FAILED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_SOURCES = ['CARD', 'CASH', 'EXTERNAL', 'WALLET'] as const;
export type PaymentSource = (typeof PAYMENT_SOURCES)[number];

export const CARD_BRANDS = ['VISA', 'MASTERCARD', 'AMERICAN_EXPRESS', 'DISCOVER', 'JCB'] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

/** Fields a test set explicitly; they win over the derived ones. */
export interface PaymentOverlay {
  note?: string;
  reference_id?: string;
  buyer_email_address?: string;
  card_brand?: CardBrand;
  last_4?: string;
}

export interface SquareCard {
  card_brand: CardBrand;
  last_4: string;
  exp_month: number;
  exp_year: number;
  fingerprint: string;
  card_type: 'CREDIT' | 'DEBIT';
  prepaid_type: 'NOT_PREPAID' | 'PREPAID';
  bin: string;
}

export interface SquarePayment {
  id: string;
  created_at: string;
  updated_at: string;
  amount_money: Money;
  tip_money?: Money;
  total_money: Money;
  approved_money?: Money;
  processing_fee?: { effective_at: string; type: string; amount_money: Money }[];
  refunded_money?: Money;
  status: PaymentStatus;
  delay_duration?: string;
  delay_action?: string;
  delayed_until?: string;
  source_type: PaymentSource;
  card_details?: {
    status: string;
    card: SquareCard;
    entry_method: string;
    cvv_status: string;
    avs_status: string;
    auth_result_code?: string;
    statement_description: string;
    card_payment_timeline: { authorized_at?: string; captured_at?: string; voided_at?: string };
  };
  cash_details?: { buyer_supplied_money: Money; change_back_money: Money };
  external_details?: { type: string; source: string };
  wallet_details?: { status: string; brand: string };
  location_id: string;
  order_id?: string;
  customer_id?: string;
  reference_id?: string;
  note?: string;
  buyer_email_address?: string;
  refund_ids?: string[];
  receipt_number: string;
  receipt_url?: string;
  application_details: { square_product: string; application_id: string };
  version_token: string;
}

const CARD_STATUS: Record<PaymentStatus, string> = { APPROVED: 'AUTHORIZED', PENDING: 'AUTHORIZED', COMPLETED: 'CAPTURED', CANCELED: 'VOIDED', FAILED: 'FAILED' };
const DELAY_MS = 7 * 24 * 3600 * 1000;

export class PaymentStore {
  readonly table = new RowTable();
  readonly status = this.table.column(Uint8Array);
  readonly source = this.table.column(Uint8Array);
  readonly amount = this.table.column(Float64Array);
  readonly tip = this.table.column(Float64Array);
  readonly refunded = this.table.column(Float64Array);
  /** When the payment was completed, canceled or failed (NaN while it is open). */
  readonly settled = this.table.column(Float64Array, Number.NaN);
  /** Linked order / customer rows, -1 for none. */
  readonly order = this.table.column(Int32Array, -1);
  readonly customer = this.table.column(Int32Array, -1);
  readonly overlays = new Map<number, PaymentOverlay>();
  readonly refundsOf = new Map<number, number[]>();
  readonly byCreated = new SortIndex(this.table, (row) => this.table.created.get(row));
  readonly byUpdated = new SortIndex(this.table, (row) => this.table.updated.get(row));
  private readonly detailSeed: number;
  private readonly cardSeed: number;
  private readonly entrySeed: number;

  constructor(
    private readonly ids: SquareIds,
    private readonly locations: Locations,
    seed: number,
  ) {
    this.detailSeed = deriveSeed(seed, 'payment-details');
    this.cardSeed = deriveSeed(seed, 'payment-card');
    this.entrySeed = deriveSeed(seed, 'payment-entry');
  }

  get count(): number {
    return this.table.size;
  }

  statusOf(row: number): PaymentStatus {
    return PAYMENT_STATUSES[this.status.get(row)] as PaymentStatus;
  }

  sourceOf(row: number): PaymentSource {
    return PAYMENT_SOURCES[this.source.get(row)] as PaymentSource;
  }

  total(row: number): number {
    return this.amount.get(row) + this.tip.get(row);
  }

  /** The card of a CARD payment; cheap, because list filters (`card_brand`, `last_4`) call it per row. */
  card(row: number): SquareCard {
    const rng = rowRng(this.cardSeed, row);
    const overlay = this.overlays.get(row);
    const brand = overlay?.card_brand ?? rng.weighted<CardBrand>([['VISA', 50], ['MASTERCARD', 30], ['AMERICAN_EXPRESS', 12], ['DISCOVER', 6], ['JCB', 2]]);
    const last4 = overlay?.last_4 ?? digits(rng, 4);
    const bin = brand === 'VISA' ? `4${digits(rng, 5)}` : brand === 'MASTERCARD' ? `5${rng.int(1, 5)}${digits(rng, 4)}` : brand === 'AMERICAN_EXPRESS' ? `37${digits(rng, 4)}` : `6011${digits(rng, 2)}`;
    return {
      card_brand: brand,
      last_4: last4,
      exp_month: rng.int(1, 12),
      exp_year: 2027 + rng.int(0, 5),
      fingerprint: `sq-1-${this.ids.payment.encode(row).slice(0, 20)}${digits(rng, 8)}`,
      card_type: rng.chance(0.6) ? 'CREDIT' : 'DEBIT',
      prepaid_type: rng.chance(0.05) ? 'PREPAID' : 'NOT_PREPAID',
      bin,
    };
  }

  /** How the card was read (KEYED, EMV, ...); the order's tender repeats it. */
  entryMethod(row: number): string {
    return rowRng(this.entrySeed, row).pick(['KEYED', 'SWIPED', 'EMV', 'CONTACTLESS', 'ON_FILE']);
  }

  id(row: number): string {
    return this.ids.payment.encode(row);
  }

  /** The row of a payment id, or null when there is no such payment. */
  rowOf(id: string): number | null {
    const row = this.ids.payment.decode(id);
    return row !== null && row < this.table.size ? row : null;
  }

  render(row: number): SquarePayment {
    const t = this.table;
    const rng = rowRng(this.detailSeed, row);
    const id = this.id(row);
    const overlay = this.overlays.get(row);
    const location = this.locations.at(t.location.get(row));
    const currency = location.currency;
    const status = this.statusOf(row);
    const source = this.sourceOf(row);
    const created = t.created.get(row);
    const settled = this.settled.get(row);
    const amount = this.amount.get(row);
    const tip = this.tip.get(row);
    const total = amount + tip;
    const payment: SquarePayment = {
      id,
      created_at: formatRfc3339(created),
      updated_at: formatRfc3339(t.updated.get(row)),
      amount_money: money(amount, currency),
      ...(tip > 0 ? { tip_money: money(tip, currency) } : {}),
      total_money: money(total, currency),
      status,
      source_type: source,
      location_id: location.id,
      receipt_number: id.slice(0, 4),
      application_details: { square_product: rng.pick(['SQUARE_POS', 'VIRTUAL_TERMINAL', 'ECOMMERCE_API']), application_id: `sq0idp-${id.slice(4, 26)}` },
      version_token: `${id.slice(0, 12)}v${t.version.get(row)}`,
    };
    if (status === 'APPROVED' || status === 'COMPLETED') payment.approved_money = money(total, currency);
    if (status === 'COMPLETED' && (source === 'CARD' || source === 'WALLET')) {
      payment.processing_fee = [{ effective_at: formatRfc3339(settled), type: 'INITIAL', amount_money: money(Math.round(total * 0.026) + 10, currency) }];
    }
    const refunded = this.refunded.get(row);
    if (refunded > 0) payment.refunded_money = money(refunded, currency);
    if (source === 'CARD') {
      payment.delay_duration = 'PT168H';
      payment.delay_action = 'CANCEL';
      payment.delayed_until = formatRfc3339(created + DELAY_MS);
      const timeline: { authorized_at?: string; captured_at?: string; voided_at?: string } = {};
      if (status !== 'FAILED') timeline.authorized_at = formatRfc3339(created + 150);
      if (status === 'COMPLETED') timeline.captured_at = formatRfc3339(settled);
      if (status === 'CANCELED') timeline.voided_at = formatRfc3339(settled);
      payment.card_details = {
        status: CARD_STATUS[status],
        card: this.card(row),
        entry_method: this.entryMethod(row),
        cvv_status: 'CVV_ACCEPTED',
        avs_status: 'AVS_ACCEPTED',
        ...(status === 'FAILED' ? {} : { auth_result_code: id.slice(6, 12) }),
        statement_description: `SQ *${location.business_name.toUpperCase().slice(0, 18)}`,
        card_payment_timeline: timeline,
      };
    } else if (source === 'CASH') {
      const supplied = Math.ceil(total / 500) * 500;
      payment.cash_details = { buyer_supplied_money: money(supplied, currency), change_back_money: money(supplied - total, currency) };
    } else if (source === 'EXTERNAL') {
      payment.external_details = { type: rng.pick(['CHECK', 'BANK_TRANSFER', 'OTHER']), source: `Ref ${digits(rng, 6)}` };
    } else {
      payment.wallet_details = { status: CARD_STATUS[status], brand: 'CASH_APP' };
    }
    const orderRow = this.order.get(row);
    if (orderRow >= 0) payment.order_id = this.ids.order.encode(orderRow);
    const customerRow = this.customer.get(row);
    if (customerRow >= 0) payment.customer_id = this.ids.customer.encode(customerRow);
    const refunds = this.refundsOf.get(row);
    if (refunds && refunds.length > 0) payment.refund_ids = refunds.map((refundRow) => this.ids.refundId(refundRow, row));
    if (status === 'COMPLETED') payment.receipt_url = `https://squareup.com/receipt/preview/${id}`;
    if (overlay?.note !== undefined) payment.note = overlay.note;
    if (overlay?.reference_id !== undefined) payment.reference_id = overlay.reference_id;
    if (overlay?.buyer_email_address !== undefined) payment.buyer_email_address = overlay.buyer_email_address;
    return payment;
  }
}
