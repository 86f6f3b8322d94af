/**
 * The Stripe stand-in of the API benchmark, in its own thread, so serving pages does not share an event loop
 * with either side being measured. It generates the account, starts, and posts its URL and charge count.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateStripeAccount, startStripeStandIn } from '../src/standins/stripe/index.js';

const { charges } = workerData as { charges: number };
// History up to an hour ago: an on-demand run reads up to a minute before it starts.
const to = Math.floor(Date.now() / 1000) - 3600;
const account = generateStripeAccount(charges, 42, { to, from: to - 90 * 86_400, paymentIntents: false, subscriptionRate: 0, refundRate: 0, disputeRate: 0 });
const standIn = await startStripeStandIn({ account });
parentPort?.postMessage({ url: standIn.url, charges: account.count('charge') });
parentPort?.on('message', (message) => {
  if (message === 'close') void standIn.close().then(() => process.exit(0));
});
