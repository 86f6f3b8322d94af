import { StandInClock } from '../standin-server.js';
import { balancesFromLedger, generateDisputes, generateProducts, generateTransactions, type GenerateOptions } from './account-generator.js';
import { BalanceHistory, type BalanceInput, type BalanceSnapshot } from './balance-history.js';
import { DisputeBook, type Dispute, type DisputeChanges, type DisputeInput } from './dispute-book.js';
import { payerIdFrom } from './fake-people.js';
import { ProductCatalog, type Product, type ProductChanges, type ProductInput } from './product-catalog.js';
import { TransactionLedger, type RefundOptions, type TransactionInput } from './transaction-ledger.js';
import type { InstrumentType, TransactionStatus } from './transaction-store.js';
import { formatMinor, toEpochMs } from './wire-format.js';

/**
 * One PayPal merchant account: its catalog products, transactions, disputes and balances. Tests seed and
 * change it directly; every change stamps PayPal's own timestamps (`update_time`,
 * `transaction_updated_date`) from the clock.
 */

export interface PayPalAccountOptions {
  clock?: StandInClock;
  seed?: number;
  /** Longest delay before transaction search shows a transaction; PayPal says up to three hours. */
  maxVisibilityLagMs?: number;
}

/** A transaction as the account holds it, for assertions. */
export interface TransactionSnapshot {
  id: string;
  initiatedAt: number;
  updatedAt: number;
  visibleAt: number;
  status: TransactionStatus;
  eventCode: string;
  currency: string;
  amount: string;
  fee: string;
  balanceAffecting: boolean;
  instrument: InstrumentType;
  referenceId?: string;
}

export const DEFAULT_MAX_VISIBILITY_LAG_MS = 3 * 3_600_000;

export class PayPalAccount {
  readonly clock: StandInClock;
  readonly seed: number;
  /** The merchant's payer id (13 characters), PayPal's `account_number` / `account_id`. */
  readonly accountId: string;
  readonly merchantName = 'Tributary Test Store';
  readonly ledger: TransactionLedger;
  readonly catalog: ProductCatalog;
  readonly disputeBook: DisputeBook;
  readonly balanceHistory = new BalanceHistory();

  constructor(options: PayPalAccountOptions = {}) {
    this.clock = options.clock ?? new StandInClock();
    this.seed = options.seed ?? 1;
    this.accountId = payerIdFrom(this.seed, 0xacc);
    this.ledger = new TransactionLedger(this.clock, this.seed, options.maxVisibilityLagMs ?? DEFAULT_MAX_VISIBILITY_LAG_MS);
    this.catalog = new ProductCatalog(this.clock, this.seed);
    this.disputeBook = new DisputeBook(this.clock);
  }

  // Products

  addProduct(input: ProductInput): Product {
    return { ...this.catalog.add(input) };
  }

  updateProduct(id: string, changes: ProductChanges): Product {
    return { ...this.catalog.update(id, changes) };
  }

  getProduct(id: string): Product | undefined {
    const product = this.catalog.get(id);
    return product && { ...product };
  }

  /** Product ids in listing order (oldest first). */
  productIds(): string[] {
    return this.catalog.listed().map((p) => p.id);
  }

  // Transactions

  addTransaction(input: TransactionInput): string {
    return this.ledger.add(input);
  }

  setTransactionStatus(id: string, status: TransactionStatus): void {
    this.ledger.setStatus(id, status);
  }

  refundTransaction(id: string, options?: RefundOptions): string {
    return this.ledger.refund(id, options);
  }

  transactionVisibleAt(id: string): number {
    return this.ledger.visibleAt(id);
  }

  get transactionCount(): number {
    return this.ledger.store.count;
  }

  getTransaction(id: string): TransactionSnapshot {
    const store = this.ledger.store;
    const i = this.ledger.requireIndex(id);
    const currency = store.currencyOf(i);
    const ref = store.ref[i] as number;
    return {
      id,
      initiatedAt: store.initiated[i] as number,
      updatedAt: store.updated[i] as number,
      visibleAt: store.visibleAt[i] as number,
      status: store.statusOf(i),
      eventCode: store.eventCodeOf(i),
      currency,
      amount: formatMinor(store.amount[i] as number, currency),
      fee: formatMinor(store.fee[i] as number, currency),
      balanceAffecting: store.isBalanceAffecting(i),
      instrument: store.instrumentOf(i),
      ...(ref >= 0 ? { referenceId: store.idOf(ref) } : {}),
    };
  }

  /**
   * Ids of transactions initiated in [start, end] (inclusive), in search order; `visibleAt` keeps only those
   * search shows at that time, `balanceAffectingOnly` only those the default search returns.
   */
  transactionIds(range: { start: number | string | Date; end: number | string | Date; visibleAt?: number; balanceAffectingOnly?: boolean }): string[] {
    const store = this.ledger.store;
    const { order, from, to } = store.timeRange(toEpochMs(range.start), toEpochMs(range.end));
    const ids: string[] = [];
    for (let p = from; p < to; p += 1) {
      const i = store.atPosition(order, p);
      if (range.visibleAt !== undefined && (store.visibleAt[i] as number) > range.visibleAt) continue;
      if (range.balanceAffectingOnly && !store.isBalanceAffecting(i)) continue;
      ids.push(store.idOf(i));
    }
    return ids;
  }

  // Disputes

  addDispute(input: DisputeInput): Dispute {
    return { ...this.disputeBook.add(input) };
  }

  updateDispute(id: string, changes: DisputeChanges): Dispute {
    return { ...this.disputeBook.update(id, changes) };
  }

  getDispute(id: string): Dispute | undefined {
    const dispute = this.disputeBook.get(id);
    return dispute && { ...dispute };
  }

  /** Dispute ids in listing order (newest first). */
  disputeIds(): string[] {
    return this.disputeBook.listed().map((d) => d.id);
  }

  // Balances

  /** Records balances as of `asOf` (default: now); earlier snapshots stay for `as_of_time` queries. */
  setBalances(balances: readonly BalanceInput[], asOf?: number | string | Date): BalanceSnapshot[] {
    return this.balanceHistory.set(balances, asOf === undefined ? this.clock.now() : toEpochMs(asOf));
  }

  /** Sets balances to the ledger's running balance per currency at `asOf` (default: now). */
  setBalancesFromTransactions(asOf?: number | string | Date): void {
    balancesFromLedger(this.balanceHistory, this.ledger, asOf === undefined ? this.clock.now() : toEpochMs(asOf));
  }

  // Generators

  /** Appends `count` generated transactions initiated in [start, end); products generated before are bought in them. */
  generateTransactions(count: number, options: GenerateOptions): void {
    generateTransactions(this.ledger, this.catalog.size, count, options);
  }

  generateProducts(count: number, options: GenerateOptions): void {
    generateProducts(this.catalog, count, options);
  }

  generateDisputes(count: number, options: GenerateOptions): void {
    generateDisputes(this.disputeBook, this.ledger, count, options);
  }
}

export interface GeneratedAccountOptions {
  clock?: StandInClock;
  products?: number;
  disputes?: number;
  /** Default: the 90 days before the clock's now minus one day. */
  start?: number | string | Date;
  end?: number | string | Date;
  maxVisibilityLagMs?: number;
}

/**
 * A deterministic account: `transactionCount` transactions, some products (default one per thousand
 * transactions, 5..200), some disputes (one per two hundred, up to 1000) and balances matching the ledger.
 * The same arguments always give the same account, ids included.
 */
export function generatePayPalAccount(transactionCount: number, seed: number, options: GeneratedAccountOptions = {}): PayPalAccount {
  const account = new PayPalAccount({ seed, ...(options.clock ? { clock: options.clock } : {}), ...(options.maxVisibilityLagMs !== undefined ? { maxVisibilityLagMs: options.maxVisibilityLagMs } : {}) });
  const now = account.clock.now();
  const end = options.end === undefined ? Math.floor(now / 3_600_000) * 3_600_000 - 86_400_000 : toEpochMs(options.end);
  const start = options.start === undefined ? end - 90 * 86_400_000 : toEpochMs(options.start);
  const range = { start, end, seed };
  account.generateProducts(options.products ?? Math.min(200, Math.max(5, Math.floor(transactionCount / 1000))), range);
  if (transactionCount > 0) {
    account.generateTransactions(transactionCount, range);
    account.generateDisputes(options.disputes ?? Math.min(1000, Math.floor(transactionCount / 200)), range);
    account.setBalancesFromTransactions(end);
  }
  return account;
}
