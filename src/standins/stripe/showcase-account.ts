import type { StandInClock } from '../standin-server.js';
import { generateStripeAccount } from './account-generator.js';
import type { StripeAccount } from './stripe-account.js';

/**
 * A small generated account plus one of every kind of change the account offers (updates, deletions,
 * cancellations, declines, captures, disputes won and lost, manual payouts), so that every object state and
 * every event type the stand-in can produce shows up in at least one response. Used by the contract test.
 */
export interface Showcase {
  account: StripeAccount;
  deletedCustomer: string;
  deletedProduct: string;
  deletedPrice: string;
  deletedInvoice: string;
}

export function buildShowcaseAccount(clock: StandInClock, seed = 11): Showcase {
  const now = Math.floor(clock.now() / 1000);
  const account = generateStripeAccount(400, seed, { clock, from: now - 45 * 86_400, to: now - 3600, subscriptionRate: 0.5, disputeRate: 0.05, refundRate: 0.1 });

  const customer = account.createCustomer({ email: 'showcase@example.com', name: 'Show Case', metadata: { tier: 'gold' } });
  account.updateCustomer(customer.id, { description: 'updated once', metadata: { tier: 'platinum', region: 'eu' } });
  const doomed = account.createCustomer({ email: 'gone@example.com' });
  const product = account.createProduct({ name: 'Showcase widget', type: 'good', shippable: true });
  const price = account.createPrice({ product: product.id, unit_amount: 4200, currency: 'usd', recurring: { interval: 'month' }, nickname: 'Widget monthly' });
  const oneOff = account.createPrice({ product: product.id, unit_amount: 999, currency: 'usd', lookup_key: 'widget_once' });
  account.updatePrice(oneOff.id, { active: false });
  account.updateProduct(product.id, { default_price: price.id, description: 'A widget' });
  const subscription = account.createSubscription({ customer: doomed.id, price: price.id, quantity: 2 });
  account.updateSubscription(subscription.id, { cancel_at_period_end: true });
  const deletedCustomer = account.deleteCustomer(doomed.id).id;

  const spareProduct = account.createProduct({ name: 'Discontinued' });
  const sparePrice = account.createPrice({ product: spareProduct.id, unit_amount: 100, currency: 'eur' });
  const deletedPrice = account.deletePrice(sparePrice.id).id;
  const deletedProduct = account.deleteProduct(spareProduct.id).id;

  const draft = account.createInvoice({ customer: customer.id, amount: 5000, currency: 'usd', description: 'Draft to delete' });
  const deletedInvoice = account.deleteInvoice(draft.id).id;
  const open = account.createInvoice({ customer: customer.id, price: price.id, status: 'open', collection_method: 'send_invoice' });
  account.updateInvoice(open.id, { metadata: { po: '42' } });
  const toVoid = account.createInvoice({ customer: customer.id, amount: 1200, status: 'open' });
  account.voidInvoice(toVoid.id);
  const bad = account.createInvoice({ customer: customer.id, amount: 1300, status: 'open' });
  account.markInvoiceUncollectible(bad.id);

  const charge = account.createCharge({ amount: 2500, customer: customer.id, description: 'Showcase order', metadata: { order: '1' } });
  account.updateCharge(charge.id, { description: 'Showcase order (edited)', metadata: { order: '', note: 'vip' } });
  account.createRefund({ charge: charge.id, amount: 500, reason: 'requested_by_customer' });
  account.createCharge({ amount: 1900, customer: customer.id, status: 'failed' });
  const uncaptured = account.createCharge({ amount: 7100, captured: false });
  account.captureCharge(uncaptured.id);
  account.createCharge({ amount: 800, payment_intent: false, description: 'Legacy charge' });
  const disputed = account.createCharge({ amount: 9900, customer: customer.id });
  const dispute = account.createDispute({ charge: disputed.id, reason: 'product_not_received' });
  account.updateDispute(dispute.id, { metadata: { case: 'A-1' } });
  account.updateDispute(dispute.id, { status: 'lost' });
  const intent = account.createPaymentIntent({ amount: 3000, currency: 'usd', customer: customer.id });
  account.cancelPaymentIntent(intent.id, 'abandoned');
  const declined = account.createPaymentIntent({ amount: 3100, currency: 'eur' });
  account.confirmPaymentIntent(declined.id, { succeed: false });
  const payout = account.createPayout({ amount: 10_000, description: 'Manual payout' });
  account.updatePayout(payout.id, { metadata: { batch: '7' } });
  account.updatePayout(payout.id, { status: 'paid' });
  const failedPayout = account.createPayout({ amount: 200, method: 'instant' });
  account.updatePayout(failedPayout.id, { status: 'failed' });
  return { account, deletedCustomer, deletedProduct, deletedPrice, deletedInvoice };
}
