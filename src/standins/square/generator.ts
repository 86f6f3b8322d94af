import { Rng, deriveSeed } from '../seeded-rng.js';
import type { SquareAccount } from './account.js';
import { ORDER_STATES, OrderStore, type OrderState } from './orders.js';
import { PAYMENT_SOURCES, PAYMENT_STATUSES, type PaymentSource, type PaymentStatus } from './payments.js';
import { REFUND_STATUSES, type RefundStatus } from './refunds.js';
import { CATEGORY_NAMES, PRODUCTS, VARIATION_NAMES } from './sample-data.js';

/**
 * Bulk generation of a realistic seller history: sales spread evenly over [from, to) across the locations,
 * each an order paid by a payment (when both are asked for), some refunded later, customers created over the
 * same period, and a small catalog. Columns are filled directly (no per-row objects, no per-row index
 * maintenance), so a million payments take a second or two. The same account seed and options give the
 * same records.
 */
export interface SquareGenerateOptions {
  /** created_at range of the generated records: [from, to), epoch ms. Nothing is stamped at or after `to`. */
  from: number;
  to: number;
  payments?: number;
  orders?: number;
  customers?: number;
  /** Share of completed payments refunded later (default 0.05). */
  refundRate?: number;
  /** Catalog items (each with 1-3 variations), plus a few categories, taxes and discounts when > 0. */
  catalogItems?: number;
  /** Open locations until the account has this many; records are spread across all of them. */
  locations?: number;
  /** Varies the generated data for the same account seed (default 0). */
  variant?: number;
}

export interface GenerateSummary {
  payments: number;
  orders: number;
  refunds: number;
  customers: number;
  catalogObjects: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Adds generated payments, orders, refunds, customers and catalog objects to the account. A function beside the
 * account rather than its method, so the account does not import its own generator (a cycle).
 */
export function generateInto(account: SquareAccount, options: SquareGenerateOptions): GenerateSummary {
  const { from, to } = options;
  if (!(Number.isFinite(from) && Number.isFinite(to) && to > from)) throw new Error('generate: need a finite range with to > from');
  while (account.locations.count < (options.locations ?? 1)) account.addLocation();
  const rng = new Rng(deriveSeed(account.seed ^ (options.variant ?? 0), `generate-${account.payments.count}-${account.orders.count}`));
  const clampTime = (time: number, floor: number): number => Math.max(floor, Math.min(Math.floor(time), to - 1));

  const customerRows = generateCustomers(account, options.customers ?? 0, from, to, rng);
  const sales = generateSales(account, options, rng, customerRows, clampTime);
  const refunds = generateRefunds(account, sales.firstPayment, sales.payments, options.refundRate ?? 0.05, to, rng, clampTime);
  const catalogObjects = generateCatalog(account, options.catalogItems ?? 0, from, to, rng);
  return { payments: sales.payments, orders: sales.orders, refunds, customers: customerRows.count, catalogObjects };
}

function generateCustomers(account: SquareAccount, count: number, from: number, to: number, rng: Rng): { first: number; count: number } {
  const c = account.customers.table;
  const first = c.addRows(count);
  const span = to - from;
  for (let i = 0; i < count; i += 1) {
    const row = first + i;
    const created = Math.floor(from + ((i + rng.next()) * span) / count);
    const edited = rng.chance(0.3);
    c.created.set(row, created);
    c.updated.set(row, edited ? Math.floor(created + rng.next() * (to - 1 - created)) : created);
    c.version.set(row, edited ? rng.int(1, 3) : 0);
  }
  return { first, count };
}

function generateSales(
  account: SquareAccount,
  options: SquareGenerateOptions,
  rng: Rng,
  customers: { first: number; count: number },
  clampTime: (time: number, floor: number) => number,
): { firstPayment: number; payments: number; orders: number } {
  const paymentCount = options.payments ?? 0;
  const orderCount = options.orders ?? 0;
  const sales = Math.max(paymentCount, orderCount);
  const { from, to } = options;
  const span = to - from;
  const locationCount = account.locations.count;
  const p = account.payments;
  const o = account.orders;
  const firstPayment = p.table.addRows(paymentCount);
  const firstOrder = o.table.addRows(orderCount);
  const orderStates: [OrderState, number][] = [['COMPLETED', 85], ['OPEN', 8], ['CANCELED', 5], ['DRAFT', 2]];
  const sources: [PaymentSource, number][] = [['CARD', 75], ['CASH', 12], ['WALLET', 8], ['EXTERNAL', 5]];
  const freeStatuses: [PaymentStatus, number][] = [['COMPLETED', 92], ['FAILED', 3], ['CANCELED', 2], ['APPROVED', 3]];

  for (let i = 0; i < sales; i += 1) {
    const time = Math.floor(from + ((i + rng.next()) * span) / sales);
    // The main location takes the most business; the others share the rest.
    const location = locationCount === 1 || rng.chance(0.4) ? 0 : rng.int(1, locationCount - 1);
    const customer = customers.count > 0 && rng.chance(0.4) ? customers.first + Math.max(0, Math.min(customers.count - 1, Math.floor((i * customers.count) / sales) - rng.int(0, 3))) : -1;

    let state: OrderState | null = null;
    let closed = Number.NaN;
    let total = 0;
    const orderRow = firstOrder + i;
    if (i < orderCount) {
      state = rng.weighted(orderStates);
      total = OrderStore.sum(o.lines(orderRow));
      if (state === 'COMPLETED' || state === 'CANCELED') closed = clampTime(time + rng.int(30 * SECOND, 45 * MINUTE), time);
      o.table.created.set(orderRow, time);
      o.table.updated.set(orderRow, Number.isNaN(closed) ? clampTime(time + rng.int(0, 5 * MINUTE), time) : closed);
      o.table.location.set(orderRow, location);
      o.table.version.set(orderRow, state === 'COMPLETED' ? rng.int(2, 4) : rng.int(1, 2));
      o.state.set(orderRow, ORDER_STATES.indexOf(state));
      o.closed.set(orderRow, closed);
      o.total.set(orderRow, total);
      o.customer.set(orderRow, customer);
      o.source.set(orderRow, rng.weighted<number>([[0, 70], [1, 20], [2, 8], [3, 2]]));
    }

    if (i >= paymentCount) continue;
    const paymentRow = firstPayment + i;
    const linked = state !== null && state !== 'DRAFT';
    let source: PaymentSource;
    let status: PaymentStatus;
    let amount: number;
    let tip = 0;
    if (linked) {
      amount = total;
      source = state === 'COMPLETED' ? rng.weighted(sources) : 'CARD';
      status = state === 'COMPLETED' ? 'COMPLETED' : state === 'OPEN' ? 'APPROVED' : 'CANCELED';
    } else {
      amount = Math.round(Math.exp(Math.log(150) + rng.next() * (Math.log(30_000) - Math.log(150))));
      source = rng.weighted(sources);
      status = rng.weighted(freeStatuses);
      // Cash and external payments are recorded completed; only card-like ones can be open or fail.
      if (source === 'CASH' || source === 'EXTERNAL') status = 'COMPLETED';
      if (rng.chance(0.25)) tip = Math.round(amount * rng.pick([0.1, 0.15, 0.2]));
    }
    const created = clampTime(time + rng.int(0, 5 * SECOND), time);
    const settled = status === 'APPROVED' ? Number.NaN : linked && !Number.isNaN(closed) ? Math.max(created, closed) : clampTime(created + rng.int(SECOND, 2 * MINUTE), created);
    p.table.created.set(paymentRow, created);
    p.table.updated.set(paymentRow, Number.isNaN(settled) ? created : settled);
    p.table.location.set(paymentRow, location);
    p.table.version.set(paymentRow, status === 'APPROVED' ? 0 : 1);
    p.status.set(paymentRow, PAYMENT_STATUSES.indexOf(status));
    p.source.set(paymentRow, PAYMENT_SOURCES.indexOf(source));
    p.amount.set(paymentRow, amount);
    p.tip.set(paymentRow, tip);
    p.refunded.set(paymentRow, 0);
    p.settled.set(paymentRow, settled);
    p.customer.set(paymentRow, customer);
    p.order.set(paymentRow, linked ? orderRow : -1);
    if (linked) o.payment.set(orderRow, paymentRow);
  }
  return { firstPayment, payments: paymentCount, orders: orderCount };
}

function generateRefunds(
  account: SquareAccount,
  firstPayment: number,
  count: number,
  rate: number,
  to: number,
  rng: Rng,
  clampTime: (time: number, floor: number) => number,
): number {
  const p = account.payments;
  const r = account.refunds;
  const statuses: [RefundStatus, number][] = [['COMPLETED', 90], ['PENDING', 7], ['REJECTED', 2], ['FAILED', 1]];
  let made = 0;
  for (let paymentRow = firstPayment; paymentRow < firstPayment + count; paymentRow += 1) {
    if (p.statusOf(paymentRow) !== 'COMPLETED' || !rng.chance(rate)) continue;
    const created = Math.floor(p.settled.get(paymentRow) + rng.int(HOUR, 10 * DAY));
    if (created >= to) continue;
    const total = p.total(paymentRow);
    const amount = rng.chance(0.7) || total < 2 ? total : Math.floor(total / 2);
    const status = rng.weighted(statuses);
    const updated = status === 'PENDING' ? created : clampTime(created + rng.int(HOUR, 3 * DAY), created);
    const row = r.table.addRow();
    r.table.created.set(row, created);
    r.table.updated.set(row, updated);
    r.table.location.set(row, p.table.location.get(paymentRow));
    r.table.version.set(row, status === 'PENDING' ? 0 : 1);
    r.status.set(row, REFUND_STATUSES.indexOf(status));
    r.payment.set(row, paymentRow);
    r.amount.set(row, amount);
    p.refundsOf.set(paymentRow, [row]);
    if (status === 'PENDING' || status === 'COMPLETED') p.refunded.set(paymentRow, amount);
    // Refunding touches the payment: its updated_at follows the refund's.
    p.table.updated.set(paymentRow, Math.max(p.table.updated.get(paymentRow), updated));
    p.table.version.set(paymentRow, p.table.version.get(paymentRow) + 1);
    made += 1;
  }
  if (made > 0) p.table.changedInBulk(); // the payments' updated_at moved
  return made;
}

function generateCatalog(account: SquareAccount, items: number, from: number, to: number, rng: Rng): number {
  if (items <= 0) return 0;
  const catalog = account.catalog;
  const currency = account.mainLocation.currency;
  const before = catalog.count;
  const categories = CATEGORY_NAMES.slice(0, Math.min(CATEGORY_NAMES.length, 2 + Math.ceil(items / 25)));
  const steps = categories.length + 4 + items;
  let step = 0;
  // Objects are created in time order, so versions (which follow the clock) grow with updated_at.
  const nextTime = (): number => Math.floor(from + ((step++ + rng.next()) * (to - from)) / steps);
  const categoryIds = categories.map((name) => catalog.id(catalog.add('CATEGORY', { name, category_type: 'REGULAR_CATEGORY', is_top_level: true }, nextTime())));
  const taxIds = [
    catalog.id(catalog.add('TAX', { name: 'Sales Tax', calculation_phase: 'TAX_SUBTOTAL_PHASE', inclusion_type: 'ADDITIVE', percentage: '8.5', applies_to_custom_amounts: true, enabled: true }, nextTime())),
    catalog.id(catalog.add('TAX', { name: 'Prepared Food Tax', calculation_phase: 'TAX_SUBTOTAL_PHASE', inclusion_type: 'ADDITIVE', percentage: '1.25', enabled: true }, nextTime())),
  ];
  catalog.add('DISCOUNT', { name: 'Staff 20%', discount_type: 'FIXED_PERCENTAGE', percentage: '20.0', pin_required: false }, nextTime());
  catalog.add('DISCOUNT', { name: '$5 Off', discount_type: 'FIXED_AMOUNT', amount_money: { amount: 500, currency }, pin_required: false }, nextTime());
  for (let i = 0; i < items; i += 1) {
    const time = nextTime();
    const [product, price] = PRODUCTS[i % PRODUCTS.length] as (typeof PRODUCTS)[number];
    const name = i < PRODUCTS.length ? product : `${product} #${Math.floor(i / PRODUCTS.length) + 1}`;
    const item = catalog.add('ITEM', { name, categories: [{ id: rng.pick(categoryIds), ordinal: i }], tax_ids: [rng.pick(taxIds)], product_type: 'REGULAR', is_taxable: true }, time);
    const variationCount = rng.int(1, 3);
    for (let v = 0; v < variationCount; v += 1) {
      catalog.add(
        'ITEM_VARIATION',
        {
          item_id: catalog.id(item),
          name: VARIATION_NAMES[v] ?? 'Regular',
          ordinal: v,
          pricing_type: 'FIXED_PRICING',
          price_money: { amount: price + v * 50, currency },
          sku: `SKU-${item}-${v}`,
          sellable: true,
          stockable: true,
        },
        time,
        item,
      );
    }
  }
  return catalog.count - before;
}
