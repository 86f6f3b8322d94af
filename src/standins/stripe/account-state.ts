import { StandInClock } from '../standin-server.js';
import { IdCodec } from './ids.js';
import { RecordTable } from './record-table.js';
import type { AnyResourceRecord, EventRecord, ResourceKind, ResourceRecords } from './records.js';

/** Stripe keeps events for 30 days; older ones are neither listed nor retrievable. */
export const EVENT_RETENTION_SECONDS = 30 * 86_400;

/** The API version of `stripe@23.1.0`, the account's default when a request names none. */
export const DEFAULT_API_VERSION = '2026-10-28.endive';

export type ResourceTables = { [K in ResourceKind]: RecordTable<ResourceRecords[K]> };

export interface AccountStateOptions {
  clock?: StandInClock;
  /** Salts the ids, so two accounts made with different seeds share no ids. */
  seed?: number;
  apiVersion?: string;
}

/** Who made a change: an API request (with a request id) or Stripe itself (request.id null). */
export interface ChangeOrigin {
  automatic?: boolean;
  idempotencyKey?: string | null;
}

/** The account's data and the one place where changes turn into events. */
export class AccountState {
  readonly clock: StandInClock;
  readonly ids: IdCodec;
  readonly seed: number;
  apiVersion: string;
  readonly tables: ResourceTables = {
    customer: new RecordTable(),
    product: new RecordTable(),
    price: new RecordTable(),
    payment_intent: new RecordTable(),
    charge: new RecordTable(),
    refund: new RecordTable(),
    balance_transaction: new RecordTable(),
    dispute: new RecordTable(),
    payout: new RecordTable(),
    subscription: new RecordTable(),
    invoice: new RecordTable(),
  };
  readonly events = new RecordTable<EventRecord>();
  /** Invoices finalized per customer (customer.next_invoice_sequence and invoice numbers). */
  readonly invoiceNumbers = new Map<number, number>();
  private requestCounter = 0;

  constructor(options: AccountStateOptions = {}) {
    this.clock = options.clock ?? new StandInClock();
    this.seed = options.seed ?? 1;
    this.ids = new IdCodec(this.seed);
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  }

  nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  /** A request id for one account call; every event of that call carries it. */
  newRequest(origin: ChangeOrigin | undefined): number {
    if (origin?.automatic) return 0;
    this.requestCounter += 1;
    return this.requestCounter;
  }

  /**
   * Records an event. Events already past retention at the account clock are not kept: they could never be
   * listed (the clock only matters going forward), and a generated history of a million objects stays small.
   */
  emit(type: string, kind: ResourceKind, object: AnyResourceRecord, before: AnyResourceRecord | null, created: number, requestSeq: number, idempotencyKey: string | null = null): void {
    if (created < this.nowSeconds() - EVENT_RETENTION_SECONDS) return;
    this.events.insert({
      seq: this.events.nextSeq(),
      created,
      deleted: false,
      metadata: {},
      type,
      kind,
      object,
      before,
      requestSeq,
      idempotencyKey,
      apiVersion: this.apiVersion,
    });
  }

  /** Whether an event is still within retention at the current clock. */
  eventVisible(event: EventRecord): boolean {
    return event.created >= this.nowSeconds() - EVENT_RETENTION_SECONDS;
  }
}
