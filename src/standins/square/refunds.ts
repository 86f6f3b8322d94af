import type { Locations } from './locations.js';
import { money, type Money } from './money.js';
import type { PaymentStore } from './payments.js';
import { formatRfc3339 } from './rfc3339.js';
import { RowTable } from './row-table.js';
import { SortIndex } from './sort-index.js';
import type { SquareIds } from './square-ids.js';

/** Payment refunds in columns; each row points at the payment it refunds. */
export const REFUND_STATUSES = ['PENDING', 'COMPLETED', 'REJECTED', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

const GENERATED_REASONS = ['Returned goods', 'Customer request', 'Duplicate charge', 'Order canceled'] as const;

export interface SquareRefund {
  id: string;
  status: RefundStatus;
  location_id: string;
  destination_type: string;
  amount_money: Money;
  processing_fee?: { effective_at: string; type: string; amount_money: Money }[];
  payment_id: string;
  order_id?: string;
  reason?: string;
  created_at: string;
  updated_at: string;
}

export class RefundStore {
  readonly table = new RowTable();
  readonly status = this.table.column(Uint8Array);
  readonly payment = this.table.column(Uint32Array);
  readonly amount = this.table.column(Float64Array);
  readonly reasons = new Map<number, string>();
  readonly byCreated = new SortIndex(this.table, (row) => this.table.created.get(row));
  readonly byUpdated = new SortIndex(this.table, (row) => this.table.updated.get(row));

  constructor(
    private readonly ids: SquareIds,
    private readonly locations: Locations,
    private readonly payments: PaymentStore,
  ) {}

  get count(): number {
    return this.table.size;
  }

  statusOf(row: number): RefundStatus {
    return REFUND_STATUSES[this.status.get(row)] as RefundStatus;
  }

  id(row: number): string {
    return this.ids.refundId(row, this.payment.get(row));
  }

  rowOf(id: string): number | null {
    const rows = this.ids.refundRows(id);
    if (!rows || rows.refund >= this.table.size || this.payment.get(rows.refund) !== rows.payment) return null;
    return rows.refund;
  }

  render(row: number): SquareRefund {
    const t = this.table;
    const paymentRow = this.payment.get(row);
    const location = this.locations.at(t.location.get(row));
    const status = this.statusOf(row);
    const amount = this.amount.get(row);
    const source = this.payments.sourceOf(paymentRow);
    const refund: SquareRefund = {
      id: this.id(row),
      status,
      location_id: location.id,
      destination_type: source,
      amount_money: money(amount, location.currency),
      payment_id: this.payments.id(paymentRow),
      created_at: formatRfc3339(t.created.get(row)),
      updated_at: formatRfc3339(t.updated.get(row)),
    };
    if (status === 'COMPLETED' && source === 'CARD') {
      // The fee Square gives back on a refund is negative.
      refund.processing_fee = [{ effective_at: formatRfc3339(t.updated.get(row)), type: 'INITIAL', amount_money: money(-Math.round(amount * 0.026), location.currency) }];
    }
    const orderRow = this.payments.order.get(paymentRow);
    if (orderRow >= 0) refund.order_id = this.ids.order.encode(orderRow);
    refund.reason = this.reasons.get(row) ?? GENERATED_REASONS[row % GENERATED_REASONS.length];
    return refund;
  }
}
