import { generatePayPalAccount, startPayPalStandIn } from './paypal/index.js';
import { Rng, deriveSeed } from './seeded-rng.js';
import { generateSquareAccount, startSquareStandIn } from './square/index.js';
import { generateStripeAccount, startStripeStandIn } from './stripe/index.js';
import { RESOURCE_KINDS } from './stripe/records.js';
import { WallClock } from './wall-clock.js';

/**
 * A stand-in started for a person rather than a test (`tributary sandbox`): an account of generated, realistic
 * data on a clock that follows real time, and keys shaped like the provider's, derived from the seed so the
 * same seed gives the same keys and data on every start.
 *
 * ```ts
 * const sandbox = await startSandbox('stripe', { seed: 7, records: 300 });
 * // sandbox.url, sandbox.credentials (provider 'stripe': apiKey), sandbox.contents ({ charge: 300, ... })
 * await sandbox.close();
 * ```
 */

export const SANDBOX_PROVIDERS = ['paypal', 'stripe', 'square'] as const;
export type SandboxProvider = (typeof SANDBOX_PROVIDERS)[number];

export type SandboxCredentials =
  | { provider: 'paypal'; clientId: string; clientSecret: string }
  | { provider: 'stripe'; apiKey: string }
  | { provider: 'square'; clientId: string; clientSecret: string; accessToken: string; refreshToken: string };

export interface SandboxOptions {
  seed: number;
  /** The size of the account: PayPal catalog products (and ten times as many transactions), Stripe charges, Square payments. */
  records: number;
  /** Loopback port (default 0: a free one). */
  port?: number;
}

export interface RunningSandbox {
  provider: SandboxProvider;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  credentials: SandboxCredentials;
  /** What the account holds, by the provider's own names for its objects. */
  contents: Record<string, number>;
  close(): Promise<void>;
}

export async function startSandbox(provider: SandboxProvider, options: SandboxOptions): Promise<RunningSandbox> {
  const clock = new WallClock();
  const keys = new Rng(deriveSeed(options.seed, `${provider}-sandbox-keys`));
  switch (provider) {
    case 'paypal': {
      const account = generatePayPalAccount(options.records * 10, options.seed, { clock, products: options.records });
      const credentials = { clientId: `A${text(keys, BASE64URL, 79)}`, clientSecret: `E${text(keys, BASE64URL, 79)}` };
      const paypal = await startPayPalStandIn({ account, seed: options.seed, ...credentials, port: options.port });
      const contents = { products: account.productIds().length, transactions: account.transactionCount, disputes: account.disputeIds().length };
      return { provider, url: paypal.url, credentials: { provider, ...credentials }, contents, close: paypal.close };
    }
    case 'stripe': {
      const account = generateStripeAccount(options.records, options.seed, { clock, customers: Math.ceil(options.records / 4) });
      const apiKey = `sk_test_51${text(keys, ALPHANUMERIC, 97)}`;
      const stripe = await startStripeStandIn({ account, apiKeys: [apiKey], port: options.port });
      const contents = Object.fromEntries(RESOURCE_KINDS.map((kind) => [`${kind}s`, account.count(kind)]));
      return { provider, url: stripe.url, credentials: { provider, apiKey }, contents, close: stripe.close };
    }
    case 'square': {
      const account = generateSquareAccount(options.records, options.seed, { clock, to: clock.now() });
      const application = { clientId: `sandbox-sq0idb-${text(keys, BASE64URL, 22)}`, clientSecret: `sandbox-sq0csb-${text(keys, BASE64URL, 43)}` };
      const square = await startSquareStandIn({ account, credentials: application, port: options.port });
      const credentials = { provider, ...application, accessToken: square.accessToken, refreshToken: square.tokens.refreshToken };
      const contents = {
        locations: account.locations.count,
        payments: account.payments.count,
        refunds: account.refunds.count,
        orders: account.orders.count,
        customers: account.customers.count,
        catalog_objects: account.catalog.count,
      };
      return { provider, url: square.url, credentials, contents, close: square.close };
    }
  }
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64URL = `${ALPHANUMERIC}-_`;

function text(rng: Rng, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}
