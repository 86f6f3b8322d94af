import type { StandInClock } from '../standin-server.js';
import { personaFrom, type Persona } from './fake-people.js';
import { hashOf, hashString, unit } from './hash.js';
import { TRANSACTION_STATUSES, TransactionStore, type InstrumentType, type TransactionExtras, type TransactionRow, type TransactionStatus } from './transaction-store.js';
import { toEpochMs, toMinor } from './wire-format.js';

/**
 * The account's transactions as tests see them: add one, change its status, refund it. Every record gets a
 * reporting lag (deterministic per record, below `maxVisibilityLagMs`) before transaction search shows it;
 * a status change or refund stamps `transaction_updated_date` from the clock and never moves the initiation date.
 */

export interface TransactionInput {
  id?: string;
  initiatedAt: number | string | Date;
  /** Gross amount in major units ("12.34"); negative for money going out. */
  amount: string | number;
  currency?: string;
  /** Signed fee in major units ("-0.66"); none when left out. */
  fee?: string | number;
  /** Transaction event code (T-code); default T0006 (PayPal Checkout APIs). */
  eventCode?: string;
  status?: TransactionStatus;
  balanceAffecting?: boolean;
  instrument?: InstrumentType;
  /** Overrides the record's reporting lag. */
  visibilityLagMs?: number;
  invoiceId?: string;
  customField?: string;
  subject?: string;
  note?: string;
  /** Part of a payer to override the derived one, or null for a record without payer (e.g. a withdrawal). */
  payer?: Partial<Persona> | null;
  storeId?: string;
  terminalId?: string;
  /** The catalog product bought, by index in the account's catalog. */
  productIndex?: number;
  /** The transaction this one refers to (refund, chargeback). */
  referenceId?: string;
  shipping?: boolean;
}

export interface RefundOptions {
  /** Major units, positive; the full gross amount when left out. */
  amount?: string | number;
  at?: number | string | Date;
}

/** Texts the reporting spec restricts to `^[a-zA-Z0-9_'\-., ":;\!?]*$`. */
const TEXT_PATTERN = /^[a-zA-Z0-9_'\-., ":;!?]*$/;
const CODE_PATTERN = /^[a-zA-Z0-9]*$/;

export class TransactionLedger {
  readonly store: TransactionStore;

  constructor(
    private readonly clock: StandInClock,
    private readonly seed: number,
    readonly maxVisibilityLagMs: number,
  ) {
    this.store = new TransactionStore(seed);
  }

  /** The deterministic reporting lag of record `index`. */
  lagFor(index: number, salt = 0): number {
    return Math.floor(unit(hashOf(this.seed, index, salt, 0x1a6)) * this.maxVisibilityLagMs);
  }

  add(input: TransactionInput): string {
    const currency = input.currency ?? 'USD';
    if (!/^[A-Z]{3}$/.test(currency)) throw new Error(`currency must be a 3-letter ISO code: ${currency}`);
    const status = input.status ?? 'S';
    if (!TRANSACTION_STATUSES.includes(status)) throw new Error(`unknown transaction status ${status}`);
    const eventCode = input.eventCode ?? 'T0006';
    if (!/^T[0-9]{4}$/.test(eventCode)) throw new Error(`event code must look like T0006: ${eventCode}`);
    if (input.id !== undefined && !/^[A-Z0-9]{17,19}$/.test(input.id)) throw new Error(`transaction id must be 17..19 upper-case letters or digits: ${input.id}`);
    for (const [field, value] of [['invoiceId', input.invoiceId], ['customField', input.customField], ['subject', input.subject], ['note', input.note]] as const) {
      if (value !== undefined && (!TEXT_PATTERN.test(value) || value.length === 0)) throw new Error(`${field} has characters PayPal's reporting spec does not allow: ${value}`);
    }
    for (const [field, value] of [['storeId', input.storeId], ['terminalId', input.terminalId]] as const) {
      if (value !== undefined && (!CODE_PATTERN.test(value) || value.length === 0)) throw new Error(`${field} must be letters and digits: ${value}`);
    }
    const refIndex = input.referenceId === undefined ? -1 : this.requireIndex(input.referenceId);
    const initiated = toEpochMs(input.initiatedAt);
    const index = this.store.count;
    const persona = input.id !== undefined ? hashString(input.id) : hashOf(this.seed, index, 0x7e5);
    const extras = buildExtras(input, persona);
    const row: TransactionRow = {
      initiated,
      updated: initiated,
      visibleAt: initiated + (input.visibilityLagMs ?? this.lagFor(index)),
      amountMinor: toMinor(input.amount, currency),
      feeMinor: input.fee === undefined ? 0 : toMinor(input.fee, currency),
      status,
      eventCode,
      currency,
      balanceAffecting: input.balanceAffecting ?? true,
      instrument: input.instrument ?? (input.payer === null ? 'NONE' : 'PAYPAL'),
      hasStore: input.storeId !== undefined,
      hasShipping: input.shipping ?? false,
      hasPayer: input.payer !== null,
      persona,
      productIndex: input.productIndex ?? -1,
      refIndex,
      ...(extras ? { extras } : {}),
    };
    return this.store.idOf(this.store.append(row));
  }

  /** Changes the status (P -> S, S -> V, ...); `transaction_updated_date` becomes the clock's now. */
  setStatus(id: string, status: TransactionStatus): void {
    if (!TRANSACTION_STATUSES.includes(status)) throw new Error(`unknown transaction status ${status}`);
    this.store.setStatus(this.requireIndex(id), status, this.clock.now());
  }

  /**
   * Refunds a transaction: a new T1107 record with the negative amount (and the matching share of the fee given
   * back), referring to the original; the original becomes V (fully refunded) or F (partly refunded).
   */
  refund(id: string, options: RefundOptions = {}): string {
    const original = this.requireIndex(id);
    const store = this.store;
    const currency = store.currencyOf(original);
    const gross = store.amount[original] as number;
    const refundMinor = options.amount === undefined ? gross : toMinor(options.amount, currency);
    if (refundMinor <= 0 || refundMinor > gross) throw new Error(`refund must be within (0, ${gross}] minor units, got ${refundMinor}`);
    const at = options.at === undefined ? this.clock.now() : toEpochMs(options.at);
    const index = store.count;
    const refundId = store.idOf(
      store.append({
        initiated: at,
        updated: at,
        visibleAt: at + this.lagFor(index),
        amountMinor: -refundMinor,
        feeMinor: -Math.round(((store.fee[original] as number) * refundMinor) / gross),
        status: 'S',
        eventCode: 'T1107',
        currency,
        balanceAffecting: true,
        instrument: store.instrumentOf(original),
        hasStore: false,
        hasShipping: false,
        hasPayer: store.hasPayer(original),
        persona: store.persona[original] as number,
        productIndex: -1,
        refIndex: original,
        ...(store.extrasOf(original)?.payer ? { extras: { payer: store.extrasOf(original)?.payer as Persona } } : {}),
      }),
    );
    store.setStatus(original, refundMinor === gross ? 'V' : 'F', at);
    return refundId;
  }

  /** When transaction search starts to show this transaction. */
  visibleAt(id: string): number {
    return this.store.visibleAt[this.requireIndex(id)] as number;
  }

  requireIndex(id: string): number {
    const index = this.store.indexOf(id);
    if (index === null) throw new Error(`no transaction ${id}`);
    return index;
  }
}

function buildExtras(input: TransactionInput, persona: number): TransactionExtras | undefined {
  const extras: TransactionExtras = {};
  if (input.id !== undefined) extras.id = input.id;
  if (input.invoiceId !== undefined) extras.invoiceId = input.invoiceId;
  if (input.customField !== undefined) extras.customField = input.customField;
  if (input.subject !== undefined) extras.subject = input.subject;
  if (input.note !== undefined) extras.note = input.note;
  if (input.storeId !== undefined) extras.storeId = input.storeId;
  if (input.terminalId !== undefined) extras.terminalId = input.terminalId;
  if (input.payer) extras.payer = { ...personaFrom(persona), ...input.payer };
  return Object.keys(extras).length > 0 ? extras : undefined;
}
