import { Rng } from '../seeded-rng.js';
import type { BalanceHistory } from './balance-history.js';
import { DISPUTE_REASONS, type DisputeBook, type DisputeStatus } from './dispute-book.js';
import { hashOf } from './hash.js';
import type { ProductCatalog, ProductType } from './product-catalog.js';
import type { TransactionLedger } from './transaction-ledger.js';
import type { InstrumentType, TransactionRow, TransactionStatus } from './transaction-store.js';
import { formatMinor, toEpochMs } from './wire-format.js';

/**
 * Deterministic, realistic account data: a seeded mix of checkout payments, subscriptions, refunds,
 * chargebacks, withdrawals and (non-balance-affecting) authorizations in five currencies; products; disputes
 * on real payments; balances that match the generated ledger. A million transactions take about a second.
 */

export interface TimeRange {
  start: number | string | Date;
  end: number | string | Date;
}

export interface GenerateOptions extends TimeRange {
  seed?: number;
}

interface CurrencyProfile {
  code: string;
  weight: number;
  /** Minor units per USD cent (JPY has no decimals). */
  rate: number;
  fixedFeeMinor: number;
}

const CURRENCIES: readonly CurrencyProfile[] = [
  { code: 'USD', weight: 70, rate: 1, fixedFeeMinor: 49 },
  { code: 'EUR', weight: 14, rate: 0.92, fixedFeeMinor: 39 },
  { code: 'GBP', weight: 8, rate: 0.79, fixedFeeMinor: 30 },
  { code: 'CAD', weight: 4, rate: 1.36, fixedFeeMinor: 59 },
  { code: 'JPY', weight: 4, rate: 1.5, fixedFeeMinor: 40 },
];

const CURRENCY_WEIGHTS = CURRENCIES.map((c) => [c, c.weight] as const);

type Kind = 'checkout' | 'website' | 'subscription' | 'mobile' | 'donation' | 'refund' | 'chargeback' | 'withdrawal' | 'authorization';

const KINDS: readonly (readonly [Kind, number])[] = [
  ['checkout', 58],
  ['website', 8],
  ['subscription', 8],
  ['mobile', 3],
  ['donation', 3],
  ['refund', 7],
  ['chargeback', 1],
  ['withdrawal', 2],
  ['authorization', 4],
];

const EVENT_CODES: Record<Kind, string> = {
  checkout: 'T0006',
  website: 'T0007',
  subscription: 'T0002',
  mobile: 'T0011',
  donation: 'T0013',
  refund: 'T1107',
  chargeback: 'T1201',
  withdrawal: 'T0400',
  authorization: 'T1300',
};

const INSTRUMENTS: readonly (readonly [InstrumentType, number])[] = [
  ['PAYPAL', 75],
  ['CREDITCARD', 18],
  ['DEBITCARD', 7],
];

/** Earlier payments a refund or chargeback may refer to (the most recent ones; refunds follow soon after). */
const RECENT_PAYMENTS = 4096;
const OPENING_BALANCE_USD_CENTS = 1_000_000;

export function generateTransactions(ledger: TransactionLedger, productCount: number, count: number, options: GenerateOptions): void {
  const start = toEpochMs(options.start);
  const end = toEpochMs(options.end);
  if (!(end > start)) throw new Error('generateTransactions needs end > start');
  const rng = new Rng(options.seed ?? 1);
  const store = ledger.store;
  for (const c of CURRENCIES) {
    if (!store.openingBalances.has(c.code)) store.openingBalances.set(c.code, Math.round(OPENING_BALANCE_USD_CENTS * c.rate));
  }

  // Times first, sorted, so records are appended in time order and need no separate index.
  const times = new Float64Array(count);
  for (let i = 0; i < count; i += 1) times[i] = Math.floor((start + rng.next() * (end - start)) / 1000) * 1000;
  times.sort();

  store.reserve(count);
  const recent = new Int32Array(RECENT_PAYMENTS).fill(-1);
  let recentCount = 0;
  const row: TransactionRow = {
    initiated: 0,
    updated: 0,
    visibleAt: 0,
    amountMinor: 0,
    feeMinor: 0,
    status: 'S',
    eventCode: 'T0006',
    currency: 'USD',
    balanceAffecting: true,
    instrument: 'PAYPAL',
    hasStore: false,
    hasShipping: false,
    hasPayer: true,
    persona: 0,
    productIndex: -1,
    refIndex: -1,
  };

  for (let n = 0; n < count; n += 1) {
    const index = store.count;
    const initiated = times[n] as number;
    let kind = rng.weighted(KINDS);
    const refIndex = kind === 'refund' || kind === 'chargeback' ? pickRefundable(rng, store, recent, recentCount) : -1;
    if (refIndex < 0 && (kind === 'refund' || kind === 'chargeback')) kind = 'checkout';
    const currency = refIndex >= 0 ? (CURRENCIES.find((c) => c.code === store.currencyOf(refIndex)) as CurrencyProfile) : rng.weighted(CURRENCY_WEIGHTS);

    row.initiated = initiated;
    row.updated = initiated;
    row.visibleAt = initiated + ledger.lagFor(index);
    row.currency = currency.code;
    row.eventCode = EVENT_CODES[kind];
    row.persona = refIndex >= 0 ? (store.persona[refIndex] as number) : hashOf(options.seed ?? 1, index, 0x7e5);
    row.refIndex = refIndex;
    row.productIndex = -1;
    row.hasStore = false;
    row.hasShipping = false;
    row.hasPayer = true;
    row.balanceAffecting = true;
    row.status = 'S';
    row.instrument = rng.weighted(INSTRUMENTS);

    if (kind === 'refund' && refIndex >= 0) {
      const gross = store.amount[refIndex] as number;
      const full = rng.chance(0.6);
      const refund = full ? gross : Math.max(1, Math.round(gross * (0.2 + rng.next() * 0.6)));
      row.amountMinor = -refund;
      row.feeMinor = -Math.round(((store.fee[refIndex] as number) * refund) / gross);
      row.instrument = store.instrumentOf(refIndex);
      store.setStatus(refIndex, full ? 'V' : 'F', initiated);
    } else if (kind === 'chargeback' && refIndex >= 0) {
      row.amountMinor = -(store.amount[refIndex] as number);
      row.feeMinor = 0;
      row.instrument = store.instrumentOf(refIndex);
    } else if (kind === 'withdrawal') {
      row.amountMinor = -Math.round((10_000 + rng.int(0, 190_000)) * currency.rate);
      row.feeMinor = 0;
      row.hasPayer = false;
      row.instrument = 'NONE';
    } else {
      const gross = Math.max(100, Math.round(lognormal(rng, 4500, 0.9) * currency.rate));
      row.amountMinor = gross;
      row.feeMinor = kind === 'authorization' ? 0 : -(Math.round(gross * 0.0349) + currency.fixedFeeMinor);
      row.productIndex = productCount > 0 && kind !== 'donation' ? rng.int(0, productCount - 1) : -1;
      row.hasShipping = (kind === 'checkout' || kind === 'website') && rng.chance(0.6);
      row.hasStore = kind === 'checkout' && rng.chance(0.03);
      if (row.hasStore) row.instrument = 'CREDITCARD';
      if (kind === 'authorization') {
        row.balanceAffecting = false;
        row.status = 'P';
      } else {
        row.status = paymentStatus(rng);
        if (row.status === 'S' && rng.chance(0.03)) {
          // Was pending (an eCheck, say) and cleared later: updated after initiated, initiation unchanged.
          row.updated = Math.min(initiated + rng.int(2, 96) * 3_600_000, Math.max(end, initiated));
        }
        if (row.status === 'S') {
          recent[recentCount % RECENT_PAYMENTS] = index;
          recentCount += 1;
        }
      }
    }
    store.append(row);
  }
}

function paymentStatus(rng: Rng): TransactionStatus {
  const roll = rng.next();
  if (roll < 0.02) return 'P';
  if (roll < 0.03) return 'D';
  return 'S';
}

function pickRefundable(rng: Rng, store: TransactionLedger['store'], recent: Int32Array, recentCount: number): number {
  if (recentCount === 0) return -1;
  const slot = rng.int(0, Math.min(recentCount, RECENT_PAYMENTS) - 1);
  const candidate = recent[slot] as number;
  // Refund only settled, not yet refunded payments; a second refund of the same payment is skipped.
  return candidate >= 0 && store.statusOf(candidate) === 'S' ? candidate : -1;
}

/** A log-normal draw with the given median, from the sum of uniforms (close enough to normal, and fast). */
function lognormal(rng: Rng, median: number, sigma: number): number {
  const normal = rng.next() + rng.next() + rng.next() + rng.next() - 2; // variance 1/3
  return median * Math.exp(normal * sigma * Math.sqrt(3));
}

const ADJECTIVES = ['Classic', 'Deluxe', 'Organic', 'Compact', 'Premium', 'Vintage', 'Smart', 'Handmade', 'Eco', 'Studio', 'Travel', 'Pro'];
const NOUNS: readonly (readonly [string, ProductType, string])[] = [
  ['Coffee Beans', 'PHYSICAL', 'COFFEE_AND_TEA'],
  ['Yoga Mat', 'PHYSICAL', 'SPORTING_GOODS'],
  ['Headphones', 'PHYSICAL', 'HOME_ELECTRONICS'],
  ['T-Shirt', 'PHYSICAL', 'CLOTHING'],
  ['Board Game', 'PHYSICAL', 'TOYS_AND_GAMES'],
  ['Cookbook', 'PHYSICAL', 'BOOKS'],
  ['Desk Lamp', 'PHYSICAL', 'HOME_DECOR'],
  ['Necklace', 'PHYSICAL', 'FASHION_JEWELRY'],
  ['Photo Editor License', 'DIGITAL', 'SOFTWARE'],
  ['Puzzle Game', 'DIGITAL', 'DIGITAL_GAMES'],
  ['Video Course', 'DIGITAL', 'ONLINE_SERVICES'],
  ['Consulting Hour', 'SERVICE', 'ONLINE_SERVICES'],
  ['Streaming Plan', 'SERVICE', 'ONLINE_SERVICES'],
];

export function generateProducts(catalog: ProductCatalog, count: number, options: GenerateOptions): void {
  const start = toEpochMs(options.start);
  const end = toEpochMs(options.end);
  const rng = new Rng((options.seed ?? 1) ^ 0x5eed);
  const step = count > 1 ? (end - start) / count : 0;
  for (let i = 0; i < count; i += 1) {
    const adjective = rng.pick(ADJECTIVES);
    const [noun, type, category] = rng.pick(NOUNS);
    const name = `${adjective} ${noun} ${catalog.size + 1}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    catalog.add({
      name,
      type,
      category,
      ...(rng.chance(0.9) ? { description: `${adjective} ${noun.toLowerCase()}, sold through PayPal Checkout.` } : {}),
      ...(rng.chance(0.7) ? { imageUrl: `https://example.com/images/${slug}.jpg` } : {}),
      ...(rng.chance(0.7) ? { homeUrl: `https://example.com/products/${slug}` } : {}),
      createTime: Math.floor((start + step * i + rng.next() * step) / 1000) * 1000,
    });
  }
}

const DISPUTE_STATUS_MIX: readonly (readonly [DisputeStatus, number])[] = [
  ['OPEN', 15],
  ['WAITING_FOR_SELLER_RESPONSE', 20],
  ['WAITING_FOR_BUYER_RESPONSE', 10],
  ['UNDER_REVIEW', 15],
  ['RESOLVED', 40],
];

/** Disputes about settled payments of the ledger, opened 1..30 days after the payment. */
export function generateDisputes(book: DisputeBook, ledger: TransactionLedger, count: number, options: GenerateOptions): void {
  const store = ledger.store;
  if (store.count === 0) throw new Error('generate transactions before disputes: disputes refer to payments');
  const rng = new Rng((options.seed ?? 1) ^ 0xd15);
  const start = toEpochMs(options.start);
  const end = toEpochMs(options.end);
  for (let n = 0; n < count; n += 1) {
    let index = rng.int(0, store.count - 1);
    for (let tries = 0; tries < 20 && ((store.amount[index] as number) <= 0 || !store.hasPayer(index)); tries += 1) index = rng.int(0, store.count - 1);
    const paid = store.initiated[index] as number;
    const createTime = Math.floor(Math.min(Math.max(paid + rng.int(1, 30) * 86_400_000, start), end) / 1000) * 1000;
    const status = rng.weighted(DISPUTE_STATUS_MIX);
    const currency = store.currencyOf(index);
    book.add({
      createTime,
      updateTime: Math.min(createTime + rng.int(0, 240) * 3_600_000, end),
      reason: rng.pick(DISPUTE_REASONS),
      status,
      stage: status === 'OPEN' ? 'INQUIRY' : rng.chance(0.8) ? 'CHARGEBACK' : 'PRE_ARBITRATION',
      channel: rng.chance(0.85) ? 'INTERNAL' : 'EXTERNAL',
      amount: formatMinor(store.amount[index] as number, currency),
      currency,
      transactionId: store.idOf(index),
      buyerName: `Buyer ${hashOf(options.seed ?? 1, index) % 100000}`,
      ...(status === 'RESOLVED' ? { outcome: rng.chance(0.5) ? 'RESOLVED_SELLER_FAVOUR' : 'RESOLVED_BUYER_FAVOUR' } : {}),
      ...(status === 'WAITING_FOR_SELLER_RESPONSE' ? { sellerResponseDue: createTime + 10 * 86_400_000 } : {}),
    });
  }
}

/** Balances that agree with the ledger: the running balance per currency at `asOf`. */
export function balancesFromLedger(history: BalanceHistory, ledger: TransactionLedger, asOf: number): void {
  const store = ledger.store;
  const running = store.runningBalances();
  const last = new Map<string, number>();
  const { order, from, to } = store.timeRange(-8.64e15, asOf);
  for (let p = from; p < to; p += 1) {
    const i = store.atPosition(order, p);
    last.set(store.currencyOf(i), running[i] as number);
  }
  const balances = [...last.entries()].map(([currency, minor]) => ({
    currency,
    total: formatMinor(minor, currency),
    primary: currency === 'USD',
  }));
  if (balances.length > 0) history.set(balances, asOf);
}
