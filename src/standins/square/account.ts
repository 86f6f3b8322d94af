import { StandInClock } from '../standin-server.js';
import { CatalogStore, type CatalogType, type SquareCatalogObject } from './catalog.js';
import { CUSTOMER_TEXT_FIELDS, CustomerStore, type CustomerFields, type SquareCustomer } from './customers.js';
import { Locations, type LocationInput, type SquareLocation } from './locations.js';
import { ORDER_STATES, OrderStore, type LineInput, type OrderState, type SquareOrder } from './orders.js';
import { PAYMENT_SOURCES, PAYMENT_STATUSES, PaymentStore, type CardBrand, type PaymentSource, type PaymentStatus, type SquarePayment } from './payments.js';
import type { RowTable } from './row-table.js';
import { REFUND_STATUSES, RefundStore, type RefundStatus, type SquareRefund } from './refunds.js';
import { ORDER_SOURCES } from './sample-data.js';
import { SquareIds } from './square-ids.js';

/**
 * One Square seller account: its locations and records, and the changes a test can make to them. Every
 * change stamps `updated_at` (and `created_at` on creation) from the clock and bumps the record's version,
 * as Square does. Methods take and return Square's own wire shapes (snake_case JSON).
 */
export interface SquareAccountOptions {
  clock?: StandInClock;
  /** Drives ids and every derived detail; the same seed gives the same account. */
  seed?: number;
  businessName?: string;
  /** How many locations the account opens with (at least 1: the main location). */
  locations?: number;
}

export interface PaymentInput {
  amount: number;
  tip?: number;
  /** Default: the main location. */
  locationId?: string;
  sourceType?: PaymentSource;
  /** Default COMPLETED (an autocompleted payment); APPROVED or PENDING leave it open. */
  status?: 'APPROVED' | 'PENDING' | 'COMPLETED' | 'FAILED';
  orderId?: string;
  customerId?: string;
  cardBrand?: CardBrand;
  last4?: string;
  note?: string;
  referenceId?: string;
  buyerEmailAddress?: string;
}

export interface PaymentPatch {
  status?: PaymentStatus;
  amount?: number;
  tip?: number;
  note?: string;
}

export interface RefundInput {
  /** Default: what is left to refund. */
  amount?: number;
  reason?: string;
  /** Default PENDING, as RefundPayment answers. */
  status?: RefundStatus;
}

export interface OrderInput {
  locationId?: string;
  lines: LineInput[];
  state?: 'OPEN' | 'DRAFT' | 'COMPLETED';
  customerId?: string;
  referenceId?: string;
  ticketName?: string;
  /** One of the known source names (default 'Tributary Test App'). */
  source?: (typeof ORDER_SOURCES)[number];
}

export interface OrderPatch {
  state?: OrderState;
  lines?: LineInput[];
  referenceId?: string;
}

export interface CatalogItemInput {
  name: string;
  description?: string;
  categoryId?: string;
  taxIds?: string[];
  variations: { name: string; price: number; sku?: string }[];
}

/** Square's payment life cycle: an open payment is completed, canceled or fails; the rest are final. */
const PAYMENT_TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  APPROVED: ['COMPLETED', 'CANCELED', 'FAILED'],
  PENDING: ['COMPLETED', 'FAILED'],
  COMPLETED: [],
  CANCELED: [],
  FAILED: [],
};

const ORDER_TRANSITIONS: Record<OrderState, readonly OrderState[]> = {
  DRAFT: ['OPEN', 'CANCELED'],
  OPEN: ['COMPLETED', 'CANCELED'],
  COMPLETED: [],
  CANCELED: [],
};

export class SquareAccount {
  readonly clock: StandInClock;
  readonly seed: number;
  readonly ids: SquareIds;
  readonly locations: Locations;
  readonly payments: PaymentStore;
  readonly refunds: RefundStore;
  readonly customers: CustomerStore;
  readonly orders: OrderStore;
  readonly catalog: CatalogStore;

  constructor(options: SquareAccountOptions = {}) {
    this.clock = options.clock ?? new StandInClock();
    this.seed = options.seed ?? 1;
    this.ids = new SquareIds(this.seed);
    this.locations = new Locations(this.clock, this.ids.merchantId, options.businessName ?? 'Tributary Coffee Co', this.seed);
    this.payments = new PaymentStore(this.ids, this.locations, this.seed);
    this.refunds = new RefundStore(this.ids, this.locations, this.payments);
    this.customers = new CustomerStore(this.ids, this.seed);
    this.orders = new OrderStore(this.ids, this.locations, this.payments, this.seed);
    this.catalog = new CatalogStore(this.ids);
    for (let i = 0; i < Math.max(1, options.locations ?? 1); i += 1) this.locations.add();
  }

  get merchantId(): string {
    return this.ids.merchantId;
  }

  /** The main location: ListPayments' default. */
  get mainLocation(): SquareLocation {
    return this.locations.at(0);
  }

  addLocation(input: LocationInput = {}): SquareLocation {
    return this.locations.add(input);
  }

  // --- payments ---

  createPayment(input: PaymentInput): SquarePayment {
    const now = this.clock.now();
    const source = input.sourceType ?? 'CARD';
    const status = input.status ?? 'COMPLETED';
    if (!Number.isInteger(input.amount) || input.amount < 1) throw new Error(`payment amount must be a positive integer, got ${input.amount}`);
    if ((source === 'CASH' || source === 'EXTERNAL') && status !== 'COMPLETED') throw new Error(`${source} payments are always completed at creation`);
    const location = this.locationIndex(input.locationId);
    const p = this.payments;
    const row = p.table.addRow();
    p.table.created.set(row, now);
    p.table.updated.set(row, now);
    p.table.location.set(row, location);
    p.status.set(row, PAYMENT_STATUSES.indexOf(status));
    p.source.set(row, PAYMENT_SOURCES.indexOf(source));
    p.amount.set(row, input.amount);
    p.tip.set(row, input.tip ?? 0);
    if (status === 'COMPLETED' || status === 'FAILED') p.settled.set(row, now);
    if (input.orderId !== undefined) {
      const orderRow = this.requireRow(this.orders.rowOf(input.orderId), 'order', input.orderId);
      p.order.set(row, orderRow);
      if (this.orders.payment.get(orderRow) < 0) this.orders.payment.set(orderRow, row);
    }
    if (input.customerId !== undefined) p.customer.set(row, this.requireRow(this.customers.rowOf(input.customerId), 'customer', input.customerId));
    const overlay = {
      ...(input.note === undefined ? {} : { note: input.note }),
      ...(input.referenceId === undefined ? {} : { reference_id: input.referenceId }),
      ...(input.buyerEmailAddress === undefined ? {} : { buyer_email_address: input.buyerEmailAddress }),
      ...(input.cardBrand === undefined ? {} : { card_brand: input.cardBrand }),
      ...(input.last4 === undefined ? {} : { last_4: input.last4 }),
    };
    if (Object.keys(overlay).length > 0) p.overlays.set(row, overlay);
    p.table.touch(row);
    return p.render(row);
  }

  updatePayment(id: string, patch: PaymentPatch): SquarePayment {
    const p = this.payments;
    const row = this.requireRow(p.rowOf(id), 'payment', id);
    const now = this.clock.now();
    const current = p.statusOf(row);
    if ((patch.amount !== undefined || patch.tip !== undefined) && current !== 'APPROVED') {
      throw new Error(`payment ${id} is ${current}: only APPROVED payments can change their amounts`);
    }
    if (patch.amount !== undefined) p.amount.set(row, patch.amount);
    if (patch.tip !== undefined) p.tip.set(row, patch.tip);
    if (patch.status !== undefined && patch.status !== current) {
      if (!PAYMENT_TRANSITIONS[current].includes(patch.status)) throw new Error(`payment ${id} cannot go from ${current} to ${patch.status}`);
      p.status.set(row, PAYMENT_STATUSES.indexOf(patch.status));
      if (patch.status !== 'APPROVED' && patch.status !== 'PENDING') p.settled.set(row, now);
    }
    if (patch.note !== undefined) p.overlays.set(row, { ...p.overlays.get(row), note: patch.note });
    this.stamp(p.table, row, now);
    return p.render(row);
  }

  completePayment(id: string): SquarePayment {
    return this.updatePayment(id, { status: 'COMPLETED' });
  }

  cancelPayment(id: string): SquarePayment {
    return this.updatePayment(id, { status: 'CANCELED' });
  }

  getPayment(id: string): SquarePayment | null {
    const row = this.payments.rowOf(id);
    return row === null ? null : this.payments.render(row);
  }

  // --- refunds ---

  refundPayment(paymentId: string, input: RefundInput = {}): SquareRefund {
    const p = this.payments;
    const paymentRow = this.requireRow(p.rowOf(paymentId), 'payment', paymentId);
    if (p.statusOf(paymentRow) !== 'COMPLETED') throw new Error(`payment ${paymentId} is ${p.statusOf(paymentRow)}: only COMPLETED payments can be refunded`);
    const left = p.total(paymentRow) - p.refunded.get(paymentRow);
    const amount = input.amount ?? left;
    if (!Number.isInteger(amount) || amount < 1 || amount > left) throw new Error(`refund amount ${amount} is not within 1..${left}`);
    const now = this.clock.now();
    const status = input.status ?? 'PENDING';
    const r = this.refunds;
    const row = r.table.addRow();
    r.table.created.set(row, now);
    r.table.updated.set(row, now);
    r.table.location.set(row, p.table.location.get(paymentRow));
    r.status.set(row, REFUND_STATUSES.indexOf(status));
    r.payment.set(row, paymentRow);
    r.amount.set(row, amount);
    if (input.reason !== undefined) r.reasons.set(row, input.reason);
    r.table.touch(row);
    p.refundsOf.set(paymentRow, [...(p.refundsOf.get(paymentRow) ?? []), row]);
    if (status === 'PENDING' || status === 'COMPLETED') p.refunded.set(paymentRow, p.refunded.get(paymentRow) + amount);
    this.stamp(p.table, paymentRow, now);
    return r.render(row);
  }

  updateRefund(id: string, patch: { status: RefundStatus }): SquareRefund {
    const r = this.refunds;
    const row = this.requireRow(r.rowOf(id), 'refund', id);
    const current = r.statusOf(row);
    if (current !== 'PENDING') throw new Error(`refund ${id} is ${current}: only PENDING refunds change status`);
    const now = this.clock.now();
    r.status.set(row, REFUND_STATUSES.indexOf(patch.status));
    this.stamp(r.table, row, now);
    if (patch.status === 'REJECTED' || patch.status === 'FAILED') {
      const paymentRow = r.payment.get(row);
      this.payments.refunded.set(paymentRow, this.payments.refunded.get(paymentRow) - r.amount.get(row));
      this.stamp(this.payments.table, paymentRow, now);
    }
    return r.render(row);
  }

  getRefund(id: string): SquareRefund | null {
    const row = this.refunds.rowOf(id);
    return row === null ? null : this.refunds.render(row);
  }

  // --- customers ---

  createCustomer(fields: CustomerFields & { creation_source?: string }): SquareCustomer {
    const { creation_source: creationSource, ...text } = fields;
    if (!['given_name', 'family_name', 'company_name', 'email_address', 'phone_number'].some((name) => typeof text[name as keyof CustomerFields] === 'string')) {
      throw new Error('a customer needs at least one of given_name, family_name, company_name, email_address, phone_number');
    }
    this.checkCustomerFields(text);
    const c = this.customers;
    const now = this.clock.now();
    const row = c.table.addRow();
    c.table.created.set(row, now);
    c.table.updated.set(row, now);
    c.overlays.set(row, { explicit: true, fields: text, creationSource: creationSource ?? 'THIRD_PARTY' });
    c.table.touch(row);
    return c.render(row);
  }

  updateCustomer(id: string, fields: CustomerFields): SquareCustomer {
    const c = this.customers;
    const row = this.requireRow(c.rowOf(id), 'customer', id);
    this.checkCustomerFields(fields);
    const overlay = c.overlays.get(row) ?? { explicit: false, fields: {} };
    c.overlays.set(row, { ...overlay, fields: { ...overlay.fields, ...fields } });
    this.stamp(c.table, row, this.clock.now());
    return c.render(row);
  }

  deleteCustomer(id: string): void {
    const c = this.customers;
    const row = this.requireRow(c.rowOf(id), 'customer', id);
    c.table.deleted.set(row, 1);
    this.stamp(c.table, row, this.clock.now());
  }

  getCustomer(id: string): SquareCustomer | null {
    const row = this.customers.rowOf(id);
    return row === null ? null : this.customers.render(row);
  }

  // --- orders ---

  createOrder(input: OrderInput): SquareOrder {
    this.checkLines(input.lines);
    const o = this.orders;
    const now = this.clock.now();
    const state = input.state ?? 'OPEN';
    const row = o.table.addRow();
    o.table.created.set(row, now);
    o.table.updated.set(row, now);
    o.table.location.set(row, this.locationIndex(input.locationId));
    o.table.version.set(row, 1);
    o.state.set(row, ORDER_STATES.indexOf(state));
    if (state === 'COMPLETED') o.closed.set(row, now);
    o.total.set(row, OrderStore.sum(input.lines));
    o.source.set(row, ORDER_SOURCES.indexOf(input.source ?? 'Tributary Test App'));
    if (input.customerId !== undefined) o.customer.set(row, this.requireRow(this.customers.rowOf(input.customerId), 'customer', input.customerId));
    o.overlays.set(row, {
      lines: input.lines.map((line) => ({ ...line })),
      ...(input.referenceId === undefined ? {} : { reference_id: input.referenceId }),
      ...(input.ticketName === undefined ? {} : { ticket_name: input.ticketName }),
    });
    o.table.touch(row);
    return o.render(row);
  }

  updateOrder(id: string, patch: OrderPatch): SquareOrder {
    const o = this.orders;
    const row = this.requireRow(o.rowOf(id), 'order', id);
    const now = this.clock.now();
    const current = o.stateOf(row);
    if (patch.lines !== undefined) {
      if (current !== 'OPEN' && current !== 'DRAFT') throw new Error(`order ${id} is ${current}: its line items are final`);
      this.checkLines(patch.lines);
      o.overlays.set(row, { ...o.overlays.get(row), lines: patch.lines.map((line) => ({ ...line })) });
      o.total.set(row, OrderStore.sum(patch.lines));
    }
    if (patch.referenceId !== undefined) o.overlays.set(row, { ...o.overlays.get(row), reference_id: patch.referenceId });
    if (patch.state !== undefined && patch.state !== current) {
      if (!ORDER_TRANSITIONS[current].includes(patch.state)) throw new Error(`order ${id} cannot go from ${current} to ${patch.state}`);
      o.state.set(row, ORDER_STATES.indexOf(patch.state));
      if (patch.state === 'COMPLETED' || patch.state === 'CANCELED') o.closed.set(row, now);
    }
    this.stamp(o.table, row, now);
    return o.render(row);
  }

  getOrder(id: string): SquareOrder | null {
    const row = this.orders.rowOf(id);
    return row === null ? null : this.orders.render(row);
  }

  // --- catalog ---

  /** Any catalog object: `data` is the object's `<type>_data` payload. Variations need `data.item_id`. */
  createCatalogObject(type: CatalogType, data: Record<string, unknown>): SquareCatalogObject {
    let parent = -1;
    if (type === 'ITEM_VARIATION') {
      const itemId = data.item_id;
      parent = this.requireRow(typeof itemId === 'string' ? this.catalog.rowOf(itemId) : null, 'catalog item', String(itemId));
      if (this.catalog.typeOf(parent) !== 'ITEM') throw new Error(`${String(itemId)} is not an ITEM`);
    }
    const row = this.catalog.add(type, { ...data }, this.clock.now(), parent);
    return this.catalog.renderCurrent(row);
  }

  /** An item with its variations, created together (one catalog version for all, like a batch upsert). */
  createCatalogItem(input: CatalogItemInput): SquareCatalogObject {
    const now = this.clock.now();
    const itemData: Record<string, unknown> = { name: input.name };
    if (input.description !== undefined) itemData.description_html = `<p>${input.description}</p>`;
    if (input.categoryId !== undefined) itemData.categories = [{ id: input.categoryId, ordinal: 0 }];
    if (input.taxIds !== undefined) itemData.tax_ids = input.taxIds;
    const item = this.catalog.add('ITEM', itemData, now);
    input.variations.forEach((variation, ordinal) => {
      this.catalog.add(
        'ITEM_VARIATION',
        {
          item_id: this.catalog.id(item),
          name: variation.name,
          ordinal,
          pricing_type: 'FIXED_PRICING',
          price_money: { amount: variation.price, currency: this.mainLocation.currency },
          ...(variation.sku === undefined ? {} : { sku: variation.sku }),
          sellable: true,
          stockable: true,
        },
        now,
        item,
      );
    });
    return this.catalog.renderCurrent(item);
  }

  /** Replaces an object's `<type>_data` (Square's upsert replaces, it does not merge). */
  updateCatalogObject(id: string, data: Record<string, unknown>): SquareCatalogObject {
    const row = this.requireRow(this.catalog.rowOf(id), 'catalog object', id);
    if (this.catalog.isDeleted(row)) throw new Error(`catalog object ${id} is deleted`);
    const { variations: _ignored, ...rest } = data;
    this.catalog.update(row, rest, this.clock.now());
    return this.catalog.renderCurrent(row);
  }

  /** Deletes an object (an item takes its variations with it); returns the deleted ids. */
  deleteCatalogObject(id: string): string[] {
    const row = this.requireRow(this.catalog.rowOf(id), 'catalog object', id);
    if (this.catalog.isDeleted(row)) throw new Error(`catalog object ${id} is already deleted`);
    return this.catalog.delete(row, this.clock.now()).map((deleted) => this.catalog.id(deleted));
  }

  getCatalogObject(id: string): SquareCatalogObject | null {
    const row = this.catalog.rowOf(id);
    return row === null ? null : this.catalog.renderCurrent(row);
  }

  // --- helpers ---

  locationIndex(locationId: string | undefined): number {
    if (locationId === undefined) return 0;
    return this.requireRow(this.locations.indexOf(locationId), 'location', locationId);
  }

  private stamp(table: RowTable, row: number, now: number): void {
    table.updated.set(row, now);
    table.version.set(row, table.version.get(row) + 1);
    table.touch(row);
  }

  private requireRow(row: number | null, what: string, id: string): number {
    if (row === null) throw new Error(`no ${what} with id ${id}`);
    return row;
  }

  private checkLines(lines: readonly LineInput[]): void {
    if (lines.length === 0) throw new Error('an order needs at least one line item');
    for (const line of lines) {
      if (!Number.isInteger(line.quantity) || line.quantity < 1 || !Number.isInteger(line.basePrice) || line.basePrice < 0) {
        throw new Error(`line item ${line.name}: quantity must be a positive integer and basePrice a non-negative integer`);
      }
    }
  }

  private checkCustomerFields(fields: CustomerFields): void {
    for (const name of Object.keys(fields)) {
      if (!(CUSTOMER_TEXT_FIELDS as readonly string[]).includes(name)) throw new Error(`unknown customer field ${name}`);
    }
  }
}
