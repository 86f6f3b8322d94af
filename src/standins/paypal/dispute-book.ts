import type { StandInClock } from '../standin-server.js';
import { toEpochMs, toMinor } from './wire-format.js';

/** Customer disputes (`/v1/customer/disputes`): created and updated with the clock's time. */

export const DISPUTE_REASONS = [
  'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
  'MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED',
  'UNAUTHORISED',
  'CREDIT_NOT_PROCESSED',
  'DUPLICATE_TRANSACTION',
  'INCORRECT_AMOUNT',
  'PAYMENT_BY_OTHER_MEANS',
  'CANCELED_RECURRING_BILLING',
  'PROBLEM_WITH_REMITTANCE',
  'OTHER',
] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

export const DISPUTE_STATUSES = ['OPEN', 'WAITING_FOR_BUYER_RESPONSE', 'WAITING_FOR_SELLER_RESPONSE', 'UNDER_REVIEW', 'RESOLVED', 'OTHER'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_STATES = ['REQUIRED_ACTION', 'REQUIRED_OTHER_PARTY_ACTION', 'UNDER_PAYPAL_REVIEW', 'RESOLVED', 'OPEN_INQUIRIES', 'APPEALABLE'] as const;
export type DisputeState = (typeof DISPUTE_STATES)[number];

export const DISPUTE_STAGES = ['INQUIRY', 'CHARGEBACK', 'PRE_ARBITRATION', 'ARBITRATION'] as const;
export type DisputeStage = (typeof DISPUTE_STAGES)[number];

export const DISPUTE_OUTCOMES = ['RESOLVED_BUYER_FAVOUR', 'RESOLVED_SELLER_FAVOUR', 'RESOLVED_WITH_PAYOUT', 'CANCELED_BY_BUYER', 'ACCEPTED', 'DENIED', 'NONE'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

export interface Dispute {
  id: string;
  createTime: number;
  updateTime: number;
  reason: DisputeReason;
  status: DisputeStatus;
  state: DisputeState;
  stage: DisputeStage;
  channel: 'INTERNAL' | 'EXTERNAL';
  currency: string;
  amountMinor: number;
  /** The seller-side transaction id the dispute is about. */
  transactionId?: string;
  buyerName: string;
  outcome?: DisputeOutcome;
  sellerResponseDue?: number;
}

export interface DisputeInput {
  id?: string;
  createTime?: number | string | Date;
  /** For seeding history; defaults to `createTime`. */
  updateTime?: number | string | Date;
  reason?: DisputeReason;
  status?: DisputeStatus;
  /** Derived from `status` when left out. */
  state?: DisputeState;
  stage?: DisputeStage;
  channel?: 'INTERNAL' | 'EXTERNAL';
  amount: string | number;
  currency?: string;
  transactionId?: string;
  buyerName?: string;
  outcome?: DisputeOutcome;
  sellerResponseDue?: number | string | Date;
}

export type DisputeChanges = Partial<Pick<DisputeInput, 'reason' | 'status' | 'state' | 'stage' | 'outcome' | 'sellerResponseDue'>>;

/** Which `dispute_state` a status puts a dispute in, from the seller's point of view. */
export function stateForStatus(status: DisputeStatus): DisputeState {
  switch (status) {
    case 'OPEN':
      return 'OPEN_INQUIRIES';
    case 'WAITING_FOR_SELLER_RESPONSE':
      return 'REQUIRED_ACTION';
    case 'WAITING_FOR_BUYER_RESPONSE':
      return 'REQUIRED_OTHER_PARTY_ACTION';
    case 'RESOLVED':
      return 'RESOLVED';
    default:
      return 'UNDER_PAYPAL_REVIEW';
  }
}

export class DisputeBook {
  private readonly disputes: Dispute[] = [];
  private readonly byId = new Map<string, Dispute>();
  private sorted = true;

  constructor(private readonly clock: StandInClock) {}

  get size(): number {
    return this.disputes.length;
  }

  add(input: DisputeInput): Dispute {
    const createTime = input.createTime === undefined ? this.clock.now() : toEpochMs(input.createTime);
    const status = input.status ?? 'OPEN';
    const currency = input.currency ?? 'USD';
    const dispute: Dispute = {
      id: input.id ?? `PP-D-${String(27000 + this.disputes.length * 7 + 3)}`,
      createTime,
      updateTime: input.updateTime === undefined ? createTime : Math.max(createTime, toEpochMs(input.updateTime)),
      reason: input.reason ?? 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
      status,
      state: input.state ?? stateForStatus(status),
      stage: input.stage ?? (status === 'OPEN' ? 'INQUIRY' : 'CHARGEBACK'),
      channel: input.channel ?? 'INTERNAL',
      currency,
      amountMinor: toMinor(input.amount, currency),
      buyerName: input.buyerName ?? 'Test Buyer',
      ...(input.transactionId !== undefined ? { transactionId: input.transactionId } : {}),
      ...(input.outcome !== undefined ? { outcome: input.outcome } : {}),
      ...(input.sellerResponseDue !== undefined ? { sellerResponseDue: toEpochMs(input.sellerResponseDue) } : {}),
    };
    if (!/^[A-Za-z0-9-]{1,255}$/.test(dispute.id)) throw new Error(`dispute id must match ^[A-Za-z0-9-]+$: ${dispute.id}`);
    if (this.byId.has(dispute.id)) throw new Error(`duplicate dispute id ${dispute.id}`);
    const last = this.disputes[this.disputes.length - 1];
    if (last && compareNewestFirst(last, dispute) > 0) this.sorted = false;
    this.disputes.push(dispute);
    this.byId.set(dispute.id, dispute);
    return dispute;
  }

  update(id: string, changes: DisputeChanges): Dispute {
    const dispute = this.byId.get(id);
    if (!dispute) throw new Error(`no dispute ${id}`);
    if (changes.reason !== undefined) dispute.reason = changes.reason;
    if (changes.status !== undefined) {
      dispute.status = changes.status;
      dispute.state = changes.state ?? stateForStatus(changes.status);
    } else if (changes.state !== undefined) {
      dispute.state = changes.state;
    }
    if (changes.stage !== undefined) dispute.stage = changes.stage;
    if (changes.outcome !== undefined) dispute.outcome = changes.outcome;
    if (changes.sellerResponseDue !== undefined) dispute.sellerResponseDue = toEpochMs(changes.sellerResponseDue);
    dispute.updateTime = this.clock.now();
    return dispute;
  }

  get(id: string): Dispute | undefined {
    return this.byId.get(id);
  }

  /** Listing order: newest first by create_time, then by id descending; the keyset the page tokens encode. */
  listed(): readonly Dispute[] {
    if (!this.sorted) {
      this.disputes.sort(compareNewestFirst);
      this.sorted = true;
    }
    return this.disputes;
  }
}

export function compareNewestFirst(a: Pick<Dispute, 'createTime' | 'id'>, b: Pick<Dispute, 'createTime' | 'id'>): number {
  return b.createTime - a.createTime || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
