import type { Persona } from './fake-people.js';
import { TransactionIdCodec } from './transaction-ids.js';

/**
 * Transactions in columns (typed arrays), about 56 bytes a record, so a million generated records fit in
 * memory and are created in a second or two. Texts that only tests set (invoice id, payer, ...) live in a
 * sparse side map; everything else about a generated record is derived from its `persona` hash on output.
 */

export const TRANSACTION_STATUSES = ['D', 'F', 'P', 'S', 'V'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const INSTRUMENT_TYPES = ['NONE', 'PAYPAL', 'CREDITCARD', 'DEBITCARD'] as const;
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

/** Per-record texts set by tests; absent for generated records. */
export interface TransactionExtras {
  id?: string;
  invoiceId?: string;
  customField?: string;
  subject?: string;
  note?: string;
  /** A payer other than the one derived from `persona`. */
  payer?: Persona;
  storeId?: string;
  terminalId?: string;
}

export interface TransactionRow {
  initiated: number;
  updated: number;
  /** When the transaction shows up in search (initiated + its reporting lag). */
  visibleAt: number;
  amountMinor: number;
  feeMinor: number;
  status: TransactionStatus;
  eventCode: string;
  currency: string;
  balanceAffecting: boolean;
  instrument: InstrumentType;
  hasStore: boolean;
  hasShipping: boolean;
  hasPayer: boolean;
  persona: number;
  /** Catalog product bought (index into the account's products), -1 for none. */
  productIndex: number;
  /** The transaction this one refers to (refund, chargeback), -1 for none. */
  refIndex: number;
  extras?: TransactionExtras;
}

const FLAG_BALANCE = 1;
const FLAG_STORE = 2;
const FLAG_SHIPPING = 4;
const FLAG_PAYER = 8;
const INSTRUMENT_SHIFT = 4;

/** Statuses whose money has moved (and so count toward `ending_balance`). */
const SETTLED = new Set<TransactionStatus>(['S', 'V', 'F']);

export class TransactionStore {
  readonly codec: TransactionIdCodec;
  count = 0;
  /** Bumped on every change; caches of query results and balances key on it. */
  version = 0;

  private capacity = 0;
  initiated = new Float64Array(0);
  updated = new Float64Array(0);
  visibleAt = new Float64Array(0);
  amount = new Float64Array(0);
  fee = new Float64Array(0);
  status = new Uint8Array(0);
  event = new Uint8Array(0);
  currency = new Uint8Array(0);
  flags = new Uint8Array(0);
  persona = new Uint32Array(0);
  product = new Int32Array(0);
  ref = new Int32Array(0);

  private readonly extras = new Map<number, TransactionExtras>();
  private readonly customIds = new Map<string, number>();
  private readonly eventCodes: string[] = [];
  private readonly currencies: string[] = [];
  /** Records are appended mostly in time order; only an out-of-order append forces a sorted index. */
  private inOrder = true;
  private order: Int32Array | null = null;
  private balanceCache: { version: number; values: Float64Array } | null = null;
  readonly openingBalances = new Map<string, number>();

  constructor(seed: number) {
    this.codec = new TransactionIdCodec(seed);
  }

  append(row: TransactionRow): number {
    const i = this.count;
    if (row.extras?.id !== undefined && this.indexOf(row.extras.id) !== null) throw new Error(`duplicate transaction id ${row.extras.id}`);
    this.ensureCapacity(i + 1);
    if (i > 0 && row.initiated < (this.initiated[i - 1] as number)) this.inOrder = false;
    this.initiated[i] = row.initiated;
    this.updated[i] = row.updated;
    this.visibleAt[i] = row.visibleAt;
    this.amount[i] = row.amountMinor;
    this.fee[i] = row.feeMinor;
    this.status[i] = TRANSACTION_STATUSES.indexOf(row.status);
    this.event[i] = codeIndex(this.eventCodes, row.eventCode);
    this.currency[i] = codeIndex(this.currencies, row.currency);
    this.flags[i] =
      (row.balanceAffecting ? FLAG_BALANCE : 0) |
      (row.hasStore ? FLAG_STORE : 0) |
      (row.hasShipping ? FLAG_SHIPPING : 0) |
      (row.hasPayer ? FLAG_PAYER : 0) |
      (INSTRUMENT_TYPES.indexOf(row.instrument) << INSTRUMENT_SHIFT);
    this.persona[i] = row.persona >>> 0;
    this.product[i] = row.productIndex;
    this.ref[i] = row.refIndex;
    if (row.extras) {
      this.extras.set(i, row.extras);
      if (row.extras.id !== undefined) this.customIds.set(row.extras.id, i);
    }
    this.count = i + 1;
    this.order = null;
    this.version += 1;
    return i;
  }

  idOf(i: number): string {
    return this.extras.get(i)?.id ?? this.codec.encode(i);
  }

  indexOf(id: string): number | null {
    const custom = this.customIds.get(id);
    if (custom !== undefined) return custom;
    const decoded = this.codec.decode(id);
    return decoded !== null && decoded < this.count && this.idOf(decoded) === id ? decoded : null;
  }

  extrasOf(i: number): TransactionExtras | undefined {
    return this.extras.get(i);
  }

  statusOf(i: number): TransactionStatus {
    return TRANSACTION_STATUSES[this.status[i] as number] as TransactionStatus;
  }

  eventCodeOf(i: number): string {
    return this.eventCodes[this.event[i] as number] as string;
  }

  currencyOf(i: number): string {
    return this.currencies[this.currency[i] as number] as string;
  }

  /** Index in the currency table, or -1 if no record uses that currency. */
  currencyIndex(code: string): number {
    return this.currencies.indexOf(code);
  }

  eventIndex(code: string): number {
    return this.eventCodes.indexOf(code);
  }

  listCurrencies(): readonly string[] {
    return this.currencies;
  }

  isBalanceAffecting(i: number): boolean {
    return ((this.flags[i] as number) & FLAG_BALANCE) !== 0;
  }
  hasStore(i: number): boolean {
    return ((this.flags[i] as number) & FLAG_STORE) !== 0;
  }
  hasShipping(i: number): boolean {
    return ((this.flags[i] as number) & FLAG_SHIPPING) !== 0;
  }
  hasPayer(i: number): boolean {
    return ((this.flags[i] as number) & FLAG_PAYER) !== 0;
  }
  instrumentOf(i: number): InstrumentType {
    return INSTRUMENT_TYPES[((this.flags[i] as number) >> INSTRUMENT_SHIFT) & 3] as InstrumentType;
  }

  setStatus(i: number, status: TransactionStatus, at: number): void {
    this.status[i] = TRANSACTION_STATUSES.indexOf(status);
    this.updated[i] = Math.max(at, this.initiated[i] as number);
    this.version += 1;
  }

  /** Record indices in initiation-time order (ties by insertion), or null when that is the index order itself. */
  private sortedOrder(): Int32Array | null {
    if (this.inOrder) return null;
    if (!this.order) {
      const order = new Int32Array(this.count);
      for (let i = 0; i < order.length; i += 1) order[i] = i;
      const t = this.initiated;
      this.order = order.sort((a, b) => (t[a] as number) - (t[b] as number) || a - b);
    }
    return this.order;
  }

  /** The record at a position of the time order. */
  atPosition(order: Int32Array | null, position: number): number {
    return order ? (order[position] as number) : position;
  }

  /**
   * Positions [from, to) of the time order whose initiation time lies in [startMs, endMs] (both inclusive),
   * plus the order itself for `atPosition`.
   */
  timeRange(startMs: number, endMs: number): { order: Int32Array | null; from: number; to: number } {
    const order = this.sortedOrder();
    const timeAt = (p: number) => this.initiated[this.atPosition(order, p)] as number;
    const lowerBound = (value: number, inclusive: boolean) => {
      let lo = 0;
      let hi = this.count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const t = timeAt(mid);
        if (inclusive ? t < value : t <= value) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return { order, from: lowerBound(startMs, true), to: lowerBound(endMs, false) };
  }

  /**
   * The account balance after each record, in that record's currency's minor units: the opening balance plus
   * the net (amount + fee) of every settled, balance-affecting record up to and including it in time order.
   */
  runningBalances(): Float64Array {
    if (this.balanceCache?.version === this.version) return this.balanceCache.values;
    const values = new Float64Array(this.count);
    const totals = this.currencies.map((code) => this.openingBalances.get(code) ?? 0);
    const order = this.sortedOrder();
    for (let p = 0; p < this.count; p += 1) {
      const i = this.atPosition(order, p);
      const c = this.currency[i] as number;
      if (this.isBalanceAffecting(i) && SETTLED.has(this.statusOf(i))) {
        totals[c] = (totals[c] as number) + (this.amount[i] as number) + (this.fee[i] as number);
      }
      values[i] = totals[c] as number;
    }
    this.balanceCache = { version: this.version, values };
    return values;
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.capacity) return;
    let capacity = Math.max(1024, this.capacity);
    while (capacity < needed) capacity *= 2;
    this.initiated = grow(this.initiated, new Float64Array(capacity));
    this.updated = grow(this.updated, new Float64Array(capacity));
    this.visibleAt = grow(this.visibleAt, new Float64Array(capacity));
    this.amount = grow(this.amount, new Float64Array(capacity));
    this.fee = grow(this.fee, new Float64Array(capacity));
    this.status = grow(this.status, new Uint8Array(capacity));
    this.event = grow(this.event, new Uint8Array(capacity));
    this.currency = grow(this.currency, new Uint8Array(capacity));
    this.flags = grow(this.flags, new Uint8Array(capacity));
    this.persona = grow(this.persona, new Uint32Array(capacity));
    this.product = grow(this.product, new Int32Array(capacity));
    this.ref = grow(this.ref, new Int32Array(capacity));
    this.capacity = capacity;
  }

  /** Reserves room for `more` records at once (the generator knows its count up front). */
  reserve(more: number): void {
    this.ensureCapacity(this.count + more);
  }
}

function grow<T extends Float64Array | Uint8Array | Uint32Array | Int32Array>(old: T, next: T): T {
  next.set(old as never);
  return next;
}

function codeIndex(table: string[], code: string): number {
  let index = table.indexOf(code);
  if (index < 0) {
    if (table.length >= 255) throw new Error('too many distinct codes');
    table.push(code);
    index = table.length - 1;
  }
  return index;
}
