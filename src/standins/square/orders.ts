import { deriveSeed } from '../seeded-rng.js';
import type { Locations } from './locations.js';
import { money, type Money } from './money.js';
import type { PaymentStore } from './payments.js';
import { formatRfc3339 } from './rfc3339.js';
import { RowTable } from './row-table.js';
import { ORDER_SOURCES, PRODUCTS, VARIATION_NAMES, rowRng } from './sample-data.js';
import { SortIndex } from './sort-index.js';
import type { SquareIds } from './square-ids.js';

/**
 * Orders in columns. Generated line items are re-derived from the row seed (the stored total is their sum);
 * orders created by a test keep their line items in an overlay.
 */
export const ORDER_STATES = ['OPEN', 'COMPLETED', 'CANCELED', 'DRAFT'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export interface LineInput {
  name: string;
  quantity: number;
  /** Unit price in the smallest currency unit. */
  basePrice: number;
  variationName?: string;
}

export interface OrderOverlay {
  lines?: LineInput[];
  reference_id?: string;
  ticket_name?: string;
}

interface OrderLineItem {
  uid: string;
  name: string;
  quantity: string;
  item_type: 'ITEM';
  variation_name: string;
  base_price_money: Money;
  variation_total_price_money: Money;
  gross_sales_money: Money;
  total_tax_money: Money;
  total_discount_money: Money;
  total_service_charge_money: Money;
  total_money: Money;
}

interface OrderTender {
  id: string;
  location_id: string;
  transaction_id: string;
  created_at: string;
  amount_money: Money;
  tip_money?: Money;
  customer_id?: string;
  type: 'CARD' | 'CASH' | 'WALLET' | 'OTHER';
  card_details?: { status: string; card: { card_brand: string; last_4: string; fingerprint: string }; entry_method: string };
  cash_details?: { buyer_tendered_money: Money; change_back_money: Money };
  payment_id: string;
}

export interface SquareOrder {
  id: string;
  location_id: string;
  reference_id?: string;
  source: { name: string };
  customer_id?: string;
  line_items: OrderLineItem[];
  net_amounts: { total_money: Money; tax_money: Money; discount_money: Money; tip_money: Money; service_charge_money: Money };
  tenders?: OrderTender[];
  created_at: string;
  updated_at: string;
  closed_at?: string;
  state: OrderState;
  version: number;
  total_money: Money;
  total_tax_money: Money;
  total_discount_money: Money;
  total_tip_money: Money;
  total_service_charge_money: Money;
  ticket_name?: string;
  net_amount_due_money: Money;
}

export interface OrderEntry {
  order_id: string;
  version: number;
  location_id: string;
}

export class OrderStore {
  readonly table = new RowTable();
  readonly state = this.table.column(Uint8Array);
  /** When the order was completed or canceled (NaN while open). */
  readonly closed = this.table.column(Float64Array, Number.NaN);
  readonly total = this.table.column(Float64Array);
  readonly customer = this.table.column(Int32Array, -1);
  readonly payment = this.table.column(Int32Array, -1);
  readonly source = this.table.column(Uint8Array);
  readonly overlays = new Map<number, OrderOverlay>();
  readonly byCreated = new SortIndex(this.table, (row) => this.table.created.get(row));
  readonly byUpdated = new SortIndex(this.table, (row) => this.table.updated.get(row));
  /** Open orders sort after every closed one (Infinity), so a CLOSED_AT range never reaches them. */
  readonly byClosed = new SortIndex(this.table, (row) => {
    const closed = this.closed.get(row);
    return Number.isNaN(closed) ? Number.POSITIVE_INFINITY : closed;
  });
  private readonly lineSeed: number;

  constructor(
    private readonly ids: SquareIds,
    private readonly locations: Locations,
    private readonly payments: PaymentStore,
    seed: number,
  ) {
    this.lineSeed = deriveSeed(seed, 'order-lines');
  }

  get count(): number {
    return this.table.size;
  }

  stateOf(row: number): OrderState {
    return ORDER_STATES[this.state.get(row)] as OrderState;
  }

  sourceName(row: number): string {
    return ORDER_SOURCES[this.source.get(row)] ?? ORDER_SOURCES[0];
  }

  id(row: number): string {
    return this.ids.order.encode(row);
  }

  rowOf(id: string): number | null {
    const row = this.ids.order.decode(id);
    return row !== null && row < this.table.size ? row : null;
  }

  /** The line items of a row: the overlay's, or the ones derived from the row seed. */
  lines(row: number): LineInput[] {
    const explicit = this.overlays.get(row)?.lines;
    if (explicit) return explicit;
    const rng = rowRng(this.lineSeed, row);
    const count = rng.weighted<number>([[1, 55], [2, 30], [3, 15]]);
    return Array.from({ length: count }, () => {
      const [name, price] = rng.pick(PRODUCTS);
      return { name, basePrice: price, quantity: rng.weighted<number>([[1, 80], [2, 15], [3, 5]]), variationName: rng.pick(VARIATION_NAMES) };
    });
  }

  static sum(lines: readonly LineInput[]): number {
    return lines.reduce((total, line) => total + line.basePrice * line.quantity, 0);
  }

  entry(row: number): OrderEntry {
    return { order_id: this.id(row), version: this.table.version.get(row), location_id: this.locations.at(this.table.location.get(row)).id };
  }

  render(row: number): SquareOrder {
    const t = this.table;
    const id = this.id(row);
    const location = this.locations.at(t.location.get(row));
    const currency = location.currency;
    const zero = money(0, currency);
    const state = this.stateOf(row);
    const total = this.total.get(row);
    const overlay = this.overlays.get(row);
    const order: SquareOrder = {
      id,
      location_id: location.id,
      source: { name: this.sourceName(row) },
      line_items: this.lines(row).map((line, index) => {
        const lineTotal = money(line.basePrice * line.quantity, currency);
        return {
          uid: `${id.slice(0, 8)}-${index + 1}`,
          name: line.name,
          quantity: String(line.quantity),
          item_type: 'ITEM',
          variation_name: line.variationName ?? 'Regular',
          base_price_money: money(line.basePrice, currency),
          variation_total_price_money: lineTotal,
          gross_sales_money: lineTotal,
          total_tax_money: zero,
          total_discount_money: zero,
          total_service_charge_money: zero,
          total_money: lineTotal,
        };
      }),
      net_amounts: { total_money: money(total, currency), tax_money: zero, discount_money: zero, tip_money: zero, service_charge_money: zero },
      created_at: formatRfc3339(t.created.get(row)),
      updated_at: formatRfc3339(t.updated.get(row)),
      state,
      version: t.version.get(row),
      total_money: money(total, currency),
      total_tax_money: zero,
      total_discount_money: zero,
      total_tip_money: zero,
      total_service_charge_money: zero,
      net_amount_due_money: state === 'OPEN' || state === 'DRAFT' ? money(total, currency) : zero,
    };
    const closed = this.closed.get(row);
    if (!Number.isNaN(closed)) order.closed_at = formatRfc3339(closed);
    const customerRow = this.customer.get(row);
    if (customerRow >= 0) order.customer_id = this.ids.customer.encode(customerRow);
    const paymentRow = this.payment.get(row);
    if (paymentRow >= 0 && state === 'COMPLETED') order.tenders = [this.tender(paymentRow, id, location.id, currency)];
    if (overlay?.reference_id !== undefined) order.reference_id = overlay.reference_id;
    if (overlay?.ticket_name !== undefined) order.ticket_name = overlay.ticket_name;
    return order;
  }

  /** Square records the payment of a paid order as a tender whose id is the payment id. */
  private tender(paymentRow: number, orderId: string, locationId: string, currency: string): OrderTender {
    const payments = this.payments;
    const paymentId = payments.id(paymentRow);
    const source = payments.sourceOf(paymentRow);
    const amount = payments.amount.get(paymentRow);
    const tip = payments.tip.get(paymentRow);
    const tender: OrderTender = {
      id: paymentId,
      location_id: locationId,
      transaction_id: orderId,
      created_at: formatRfc3339(payments.table.created.get(paymentRow)),
      amount_money: money(amount + tip, currency),
      type: source === 'EXTERNAL' ? 'OTHER' : source,
      payment_id: paymentId,
    };
    if (tip > 0) tender.tip_money = money(tip, currency);
    const customerRow = payments.customer.get(paymentRow);
    if (customerRow >= 0) tender.customer_id = this.ids.customer.encode(customerRow);
    if (source === 'CARD') {
      const card = payments.card(paymentRow);
      tender.card_details = { status: 'CAPTURED', card: { card_brand: card.card_brand, last_4: card.last_4, fingerprint: card.fingerprint }, entry_method: payments.entryMethod(paymentRow) };
    } else if (source === 'CASH') {
      const supplied = Math.ceil((amount + tip) / 500) * 500;
      tender.cash_details = { buyer_tendered_money: money(supplied, currency), change_back_money: money(supplied - amount - tip, currency) };
    }
    return tender;
  }
}
