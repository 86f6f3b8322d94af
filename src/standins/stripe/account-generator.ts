import { Rng } from '../seeded-rng.js';
import type { StandInClock } from '../standin-server.js';
import * as billing from './operations-billing.js';
import * as payments from './operations-payments.js';
import type { Change } from './record-changes.js';
import type { RefundRecord } from './records.js';
import { StripeAccount } from './stripe-account.js';
import { TimedQueue } from './timed-queue.js';

/**
 * A deterministic, realistic Stripe account: `count` charges spread over a time window, with the customers,
 * PaymentIntents, refunds, disputes, daily automatic payouts, balance transactions, catalog, subscriptions and
 * monthly invoices around them. History is replayed in time order through the same operations the account
 * methods use, so every object has its events (those within 30 days of the clock are kept) and every reference
 * points to something older. Same (count, seed, options, clock) → the same account, id for id.
 */

export interface GenerateOptions {
  clock?: StandInClock;
  /** Window of the charges, epoch seconds (default: the 90 days up to the clock). */
  from?: number;
  to?: number;
  /** Default: one customer per 20 charges (at least 1). */
  customers?: number;
  /** Share of succeeded charges later refunded (default 0.04), disputed (0.005); share of charges declined (0.06). */
  refundRate?: number;
  disputeRate?: number;
  failureRate?: number;
  /** Share of customers with a subscription (default 0.25); 0 makes no subscriptions or invoices. */
  subscriptionRate?: number;
  /** Charges through PaymentIntents, as the current API makes them (default true); false: legacy direct charges, a third less memory. */
  paymentIntents?: boolean;
  /** Daily automatic payouts (default true). */
  payouts?: boolean;
  apiVersion?: string;
}

const DAY = 86_400;
const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim', 'Margaret', 'Dennis', 'Hedy', 'Linus', 'Joan', 'Niklaus'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Berners-Lee', 'Hamilton', 'Ritchie', 'Lamarr', 'Torvalds', 'Clarke', 'Wirth'];
const CURRENCIES = [['usd', 85], ['eur', 10], ['gbp', 5]] as const;
const AMOUNT_BANDS: readonly (readonly [readonly [number, number], number])[] = [[[500, 5000], 55], [[5000, 20000], 30], [[20000, 100000], 12], [[100000, 1000000], 3]];
const DESCRIPTIONS = [null, null, 'Online order', 'In-store purchase', 'Gift card', 'Service fee'] as const;
const CATALOG = [
  ['Starter plan', 900],
  ['Team plan', 2900],
  ['Business plan', 9900],
  ['Support add-on', 1500],
  ['Storage pack', 500],
  ['Consulting hour', 15000],
] as const;

type Happening =
  | { kind: 'refund'; charge: number; amount: number; reason: RefundRecord['reason'] }
  | { kind: 'dispute'; charge: number }
  | { kind: 'dispute-close'; dispute: number; won: boolean }
  | { kind: 'payout' }
  | { kind: 'payout-arrival'; payout: number }
  | { kind: 'subscribe'; customer: number }
  | { kind: 'renew'; subscription: number }
  | { kind: 'cancel'; subscription: number };

export function generateStripeAccount(count: number, seed: number, options: GenerateOptions = {}): StripeAccount {
  const account = new StripeAccount({ clock: options.clock, seed, apiVersion: options.apiVersion });
  const state = account.state;
  const rng = new Rng(seed);
  const to = options.to ?? state.nowSeconds();
  const from = options.from ?? to - 90 * DAY;
  if (!(to >= from)) throw new Error('generateStripeAccount: `to` must not be before `from`');
  const refundRate = options.refundRate ?? 0.04;
  const disputeRate = options.disputeRate ?? 0.005;
  const failureRate = options.failureRate ?? 0.06;
  const subscriptionRate = options.subscriptionRate ?? 0.25;
  const customerCount = options.customers ?? Math.max(1, Math.ceil(count / 20));
  const api = (at: number): Change => ({ at, request: state.newRequest(undefined) });
  const auto = (at: number): Change => ({ at, request: 0 });

  // Catalog: one product per entry, each with a monthly price; every other one also yearly.
  const monthlyPrices: number[] = [];
  CATALOG.forEach(([name, amount], index) => {
    const product = billing.createProduct(state, { name, description: `${name} (stand-in catalog)` }, api(from));
    const monthly = billing.createPrice(state, { product: product.seq, unitAmount: amount, currency: 'usd', interval: 'month', lookupKey: `${name.toLowerCase().replace(/\W+/g, '_')}_monthly` }, api(from));
    monthlyPrices.push(monthly.seq);
    billing.updateProduct(state, product.seq, { defaultPrice: monthly.seq }, api(from));
    if (index % 2 === 0) billing.createPrice(state, { product: product.seq, unitAmount: amount * 10, currency: 'usd', interval: 'year' }, api(from));
  });

  // Customers sign up throughout the window, more of them early (u² skew), so most charges have one to pick.
  const customerTimes = sortedTimes(customerCount, (u) => from + Math.floor(u * u * (to - from + 1)), rng);
  const chargeTimes = sortedTimes(count, (u) => from + Math.floor(u * (to - from + 1)), rng);
  const customerSeqs = new Int32Array(customerCount);
  const queue = new TimedQueue<Happening>();
  if (options.payouts !== false) queue.push(nextMidnight(from), { kind: 'payout' });

  let ci = 0;
  let xi = 0;
  let lastPayoutAt = from;
  let pendingBalance = 0;

  const createCustomer = (at: number): void => {
    const first = FIRST_NAMES[ci % FIRST_NAMES.length] as string;
    const last = LAST_NAMES[Math.floor(ci / FIRST_NAMES.length) % LAST_NAMES.length] as string;
    const customer = billing.createCustomer(state, { name: `${first} ${last}`, email: `${first}.${last}.${ci + 1}@example.com`.toLowerCase() }, api(at));
    customerSeqs[ci] = customer.seq;
    ci += 1;
    if (subscriptionRate > 0 && rng.chance(subscriptionRate)) queue.push(at + rng.int(0, 7 * DAY), { kind: 'subscribe', customer: customer.seq });
  };

  const createCharge = (at: number): void => {
    const customerSeq = ci > 0 && rng.chance(0.85) ? (customerSeqs[rng.int(0, ci - 1)] as number) : 0;
    const customer = customerSeq > 0 ? state.tables.customer.get(customerSeq) : undefined;
    const amount = pickAmount(rng);
    const currency = rng.weighted(CURRENCIES);
    const failed = rng.chance(failureRate);
    const charge = payments.createCharge(
      state,
      {
        amount,
        currency,
        customer: customerSeq,
        description: rng.pick(DESCRIPTIONS),
        status: failed ? 'failed' : 'succeeded',
        captured: true,
        paymentIntent: options.paymentIntents === false ? 'none' : 'new',
        billingName: customer?.name ?? null,
        receiptEmail: customer?.email ?? null,
      },
      api(at),
    );
    if (failed) return;
    pendingBalance += amount - payments.cardFee(amount);
    const roll = rng.next();
    if (roll < refundRate) {
      const partial = rng.chance(0.3);
      const refundAmount = partial ? Math.max(1, Math.floor(amount * (0.2 + rng.next() * 0.6))) : amount;
      queue.push(at + rng.int(3600, 10 * DAY), { kind: 'refund', charge: charge.seq, amount: refundAmount, reason: rng.pick(['requested_by_customer', 'duplicate', 'fraudulent', null] as const) });
    } else if (roll < refundRate + disputeRate) {
      queue.push(at + rng.int(DAY, 20 * DAY), { kind: 'dispute', charge: charge.seq });
    }
  };

  const happen = (at: number, item: Happening): void => {
    switch (item.kind) {
      case 'refund':
        payments.createRefund(state, { charge: item.charge, amount: item.amount, reason: item.reason }, api(at));
        pendingBalance -= item.amount;
        return;
      case 'dispute': {
        const dispute = payments.createDispute(state, { charge: item.charge, reason: rng.pick(['fraudulent', 'product_not_received', 'duplicate', 'subscription_canceled'] as const) }, auto(at));
        pendingBalance -= dispute.amount + 1500;
        queue.push(at + rng.int(10 * DAY, 40 * DAY), { kind: 'dispute-close', dispute: dispute.seq, won: rng.chance(0.4) });
        return;
      }
      case 'dispute-close':
        payments.updateDispute(state, item.dispute, { status: item.won ? 'won' : 'lost' }, auto(at));
        return;
      case 'payout': {
        if (pendingBalance > 0) {
          const payout = payments.createPayout(
            state,
            { amount: pendingBalance, currency: 'usd', arrivalDate: at + 2 * DAY, status: 'in_transit', automatic: true, description: 'STRIPE PAYOUT', method: 'standard', coversFrom: lastPayoutAt },
            auto(at),
          );
          queue.push(at + 2 * DAY, { kind: 'payout-arrival', payout: payout.seq });
          pendingBalance = 0;
          lastPayoutAt = at;
        }
        queue.push(at + DAY, { kind: 'payout' });
        return;
      }
      case 'payout-arrival':
        payments.updatePayout(state, item.payout, { status: 'paid' }, auto(at));
        return;
      case 'subscribe': {
        const price = rng.pick(monthlyPrices);
        const subscription = billing.createSubscription(state, { customer: item.customer, price, quantity: rng.int(1, 3) }, api(at));
        queue.push(subscription.currentPeriodEnd, { kind: 'renew', subscription: subscription.seq });
        if (rng.chance(0.15)) queue.push(at + rng.int(20 * DAY, 200 * DAY), { kind: 'cancel', subscription: subscription.seq });
        return;
      }
      case 'renew': {
        const subscription = state.tables.subscription.get(item.subscription);
        if (!subscription || subscription.status === 'canceled') return;
        const renewed = billing.renewSubscription(state, item.subscription, auto(at), rng.chance(0.92));
        queue.push(renewed.currentPeriodEnd, { kind: 'renew', subscription: renewed.seq });
        return;
      }
      case 'cancel': {
        const subscription = state.tables.subscription.get(item.subscription);
        if (subscription && subscription.status !== 'canceled') billing.cancelSubscription(state, item.subscription, api(at));
        return;
      }
    }
  };

  // Merge the three timelines (sign-ups, charges, queued follow-ups) in time order; follow-ups past `to` never happen.
  for (;;) {
    const tCustomer = ci < customerCount ? (customerTimes[ci] as number) : Infinity;
    const tCharge = xi < count ? (chargeTimes[xi] as number) : Infinity;
    const tQueued = queue.peekTime() <= to ? queue.peekTime() : Infinity;
    const next = Math.min(tCustomer, tCharge, tQueued);
    if (next === Infinity) break;
    if (tCustomer === next) createCustomer(next);
    else if (tQueued === next) {
      const popped = queue.pop();
      if (popped) happen(popped.time, popped.item);
    } else {
      createCharge(next);
      xi += 1;
    }
  }
  return account;
}

function sortedTimes(n: number, at: (u: number) => number, rng: Rng): Float64Array {
  const times = new Float64Array(n);
  for (let i = 0; i < n; i += 1) times[i] = at(rng.next());
  return times.sort();
}

function nextMidnight(t: number): number {
  return Math.floor(t / DAY) * DAY + DAY;
}

/** Mostly small card payments with a long tail, in cents. */
function pickAmount(rng: Rng): number {
  const [lo, hi] = rng.weighted(AMOUNT_BANDS);
  return rng.int(lo / 50, hi / 50) * 50;
}
