/**
 * Stripe-looking object ids that encode a per-kind sequence number, so the account keeps no id strings and no
 * id → record map: a million charges cost no strings at all, and an id is resolved by decoding it.
 *
 * Layout after the prefix: long ids (`ch_1Pg…`, 24 characters like Stripe's) are `1` + 7 base62 digits of the
 * sequence + 16 characters derived from (account salt, prefix, sequence); short ids (`cus_`, `prod_`, 14 characters)
 * are 6 digits + 8 derived characters. The base62 alphabet is in ASCII order, so within one kind the ids sort like
 * their sequence numbers: objects created in the same second still order by id, as Stripe's list order needs.
 */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGIT = new Map([...ALPHABET].map((char, index) => [char, index]));

interface IdLayout {
  prefix: string;
  lead: string;
  seqWidth: number;
  tailWidth: number;
}

const LONG = { lead: '1', seqWidth: 7, tailWidth: 16 } as const;
const SHORT = { lead: '', seqWidth: 6, tailWidth: 8 } as const;

/** Every id kind the stand-in hands out; the first twelve are API resources, the rest appear inside them. */
export const ID_LAYOUTS = {
  charge: { prefix: 'ch_', ...LONG },
  customer: { prefix: 'cus_', ...SHORT },
  invoice: { prefix: 'in_', ...LONG },
  payment_intent: { prefix: 'pi_', ...LONG },
  refund: { prefix: 're_', ...LONG },
  balance_transaction: { prefix: 'txn_', ...LONG },
  dispute: { prefix: 'dp_', ...LONG },
  payout: { prefix: 'po_', ...LONG },
  subscription: { prefix: 'sub_', ...LONG },
  price: { prefix: 'price_', ...LONG },
  product: { prefix: 'prod_', ...SHORT },
  event: { prefix: 'evt_', ...LONG },
  payment_method: { prefix: 'pm_', ...LONG },
  subscription_item: { prefix: 'si_', ...SHORT },
  line_item: { prefix: 'il_', ...LONG },
  invoice_item: { prefix: 'ii_', ...LONG },
  request: { prefix: 'req_', ...SHORT },
  bank_account: { prefix: 'ba_', ...LONG },
} as const satisfies Record<string, IdLayout>;

export type IdKind = keyof typeof ID_LAYOUTS;

const MAX_SEQ = (width: number) => 62 ** width - 1;

export class IdCodec {
  constructor(private readonly salt: number) {}

  encode(kind: IdKind, seq: number): string {
    const layout: IdLayout = ID_LAYOUTS[kind];
    if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ(layout.seqWidth)) throw new Error(`id sequence out of range: ${kind} ${seq}`);
    return layout.prefix + layout.lead + base62(seq, layout.seqWidth) + this.tail(layout, seq);
  }

  /** The sequence number of a well-formed id of this kind made by this account, else null. */
  decode(kind: IdKind, id: string): number | null {
    const layout: IdLayout = ID_LAYOUTS[kind];
    const bodyStart = layout.prefix.length + layout.lead.length;
    if (id.length !== bodyStart + layout.seqWidth + layout.tailWidth || !id.startsWith(layout.prefix + layout.lead)) return null;
    let seq = 0;
    for (let i = bodyStart; i < bodyStart + layout.seqWidth; i += 1) {
      const digit = DIGIT.get(id.charAt(i));
      if (digit === undefined) return null;
      seq = seq * 62 + digit;
    }
    if (seq < 1) return null;
    return id.endsWith(this.tail(layout, seq)) ? seq : null;
  }

  /** Which kind an id belongs to by its prefix (longest prefix wins: `price_` before `pi_`). */
  kindOf(id: string): IdKind | null {
    let best: IdKind | null = null;
    for (const [kind, layout] of Object.entries(ID_LAYOUTS) as [IdKind, IdLayout][]) {
      if (id.startsWith(layout.prefix) && (best === null || layout.prefix.length > ID_LAYOUTS[best].prefix.length)) best = kind;
    }
    return best;
  }

  /** A deterministic string of base62 characters for secrets, fingerprints and receipt numbers. */
  token(label: string, seq: number, length: number): string {
    let out = '';
    let state = hashLabel(this.salt, label) ^ Math.imul(seq, 0x9e3779b1);
    while (out.length < length) {
      state = mix(state + 0x6d2b79f5);
      out += ALPHABET.charAt((state >>> 0) % 62);
    }
    return out;
  }

  private tail(layout: IdLayout, seq: number): string {
    return this.token(layout.prefix, seq, layout.tailWidth);
  }
}

function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i += 1) {
    out = ALPHABET.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function hashLabel(salt: number, label: string): number {
  let hash = 0x811c9dc5 ^ salt;
  for (let i = 0; i < label.length; i += 1) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  return hash;
}

function mix(value: number): number {
  let t = value;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}
