import { deriveSeed, Rng } from '../seeded-rng.js';
import { BASE62, IdCodec, UPPER36 } from './ids.js';

/** Every id scheme of the account, in Square's lengths and alphabets, derived from the account seed. */
export class SquareIds {
  readonly merchantId: string;
  readonly payment: IdCodec;
  readonly order: IdCodec;
  readonly customer: IdCodec;
  readonly catalog: IdCodec;
  private readonly refundSuffix: IdCodec;

  constructor(seed: number) {
    this.payment = new IdCodec(seed, 'payment', { length: 29, alphabet: BASE62 });
    this.order = new IdCodec(seed, 'order', { length: 27, alphabet: BASE62 });
    this.customer = new IdCodec(seed, 'customer', { length: 26, alphabet: UPPER36 });
    this.catalog = new IdCodec(seed, 'catalog', { length: 24, alphabet: UPPER36 });
    this.refundSuffix = new IdCodec(seed, 'refund', { length: 45, alphabet: BASE62 });
    const rng = new Rng(deriveSeed(seed, 'merchant'));
    this.merchantId = 'M' + Array.from({ length: 12 }, () => UPPER36[rng.int(0, UPPER36.length - 1)]).join('');
  }

  /** Square refund ids are the payment id, an underscore, and a refund-specific part. */
  refundId(refundRow: number, paymentRow: number): string {
    return `${this.payment.encode(paymentRow)}_${this.refundSuffix.encode(refundRow)}`;
  }

  /** The refund row and the payment row an id names, or null. */
  refundRows(id: string): { refund: number; payment: number } | null {
    const cut = id.lastIndexOf('_');
    if (cut < 0) return null;
    const payment = this.payment.decode(id.slice(0, cut));
    const refund = this.refundSuffix.decode(id.slice(cut + 1));
    return payment === null || refund === null ? null : { refund, payment };
  }
}
