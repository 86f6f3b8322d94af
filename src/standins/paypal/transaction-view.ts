import { personaFrom, type Persona } from './fake-people.js';
import { hashOf } from './hash.js';
import type { PayPalAccount } from './paypal-account.js';
import type { RouteContext } from './route-context.js';
import { money } from './wire-format.js';

/**
 * Renders one stored transaction as the reporting API's `transaction_detail`. Sections other than
 * `transaction_info` appear only when asked for with `fields`; PayPal sends an empty object for a section
 * it has nothing for.
 */

export const TRANSACTION_SECTIONS = ['transaction_info', 'payer_info', 'shipping_info', 'auction_info', 'cart_info', 'incentive_info', 'store_info'] as const;
export type TransactionSection = (typeof TRANSACTION_SECTIONS)[number];

/** Characters the reporting spec allows in free texts (subject, item names, ...). */
const DISALLOWED_TEXT = /[^a-zA-Z0-9_'\-., ":;!?]/g;

export function payerOf(account: PayPalAccount, i: number): Persona | null {
  const store = account.ledger.store;
  if (!store.hasPayer(i)) return null;
  return store.extrasOf(i)?.payer ?? personaFrom(store.persona[i] as number);
}

export function storeIdOf(account: PayPalAccount, i: number): string | undefined {
  const store = account.ledger.store;
  if (!store.hasStore(i)) return undefined;
  return store.extrasOf(i)?.storeId ?? `STORE${String(hashOf(store.persona[i] as number, 11) % 40).padStart(3, '0')}`;
}

export function terminalIdOf(account: PayPalAccount, i: number): string | undefined {
  const store = account.ledger.store;
  if (!store.hasStore(i)) return undefined;
  return store.extrasOf(i)?.terminalId ?? `T${hashOf(store.persona[i] as number, 12) % 8}`;
}

export function renderTransaction(
  ctx: RouteContext,
  i: number,
  sections: ReadonlySet<TransactionSection>,
  runningBalances: Float64Array | null,
): Record<string, unknown> {
  const account = ctx.account;
  const store = account.ledger.store;
  const currency = store.currencyOf(i);
  const extras = store.extrasOf(i);
  const payer = payerOf(account, i);
  const ref = store.ref[i] as number;
  const fee = store.fee[i] as number;
  const product = account.catalog.at(store.product[i] as number);
  const instrument = store.instrumentOf(i);

  const info: Record<string, unknown> = {
    ...(payer ? { paypal_account_id: payer.payerId } : {}),
    transaction_id: store.idOf(i),
    ...(ref >= 0 ? { paypal_reference_id: store.idOf(ref), paypal_reference_id_type: 'TXN' } : {}),
    transaction_event_code: store.eventCodeOf(i),
    transaction_initiation_date: ctx.reportingTime(store.initiated[i] as number),
    transaction_updated_date: ctx.reportingTime(store.updated[i] as number),
    transaction_amount: money(store.amount[i] as number, currency),
    ...(fee !== 0 ? { fee_amount: money(fee, currency) } : {}),
    transaction_status: store.statusOf(i),
    ...(extras?.subject !== undefined ? { transaction_subject: extras.subject } : product ? { transaction_subject: clean(product.name) } : {}),
    ...(extras?.note !== undefined ? { transaction_note: extras.note } : {}),
    ...(runningBalances && store.isBalanceAffecting(i)
      ? { ending_balance: money(runningBalances[i] as number, currency), available_balance: money(runningBalances[i] as number, currency) }
      : {}),
    ...(extras?.invoiceId !== undefined ? { invoice_id: extras.invoiceId } : product ? { invoice_id: `INV-${(store.persona[i] as number) % 1_000_000}-${i}` } : {}),
    ...(extras?.customField !== undefined ? { custom_field: extras.customField } : {}),
    ...(payer ? { protection_eligibility: store.hasShipping(i) ? '01' : '02' } : {}),
    ...(instrument !== 'NONE' ? { instrument_type: instrument } : {}),
  };

  const detail: Record<string, unknown> = { transaction_info: info };
  if (sections.has('payer_info')) detail.payer_info = payer ? payerInfo(payer) : {};
  if (sections.has('shipping_info')) detail.shipping_info = payer && store.hasShipping(i) ? shippingInfo(payer) : {};
  if (sections.has('cart_info')) {
    const amount = money(store.amount[i] as number, currency);
    detail.cart_info =
      product && (store.amount[i] as number) > 0
        ? {
            item_details: [
              {
                item_code: product.id,
                item_name: clean(product.name),
                item_quantity: '1',
                item_unit_price: amount,
                item_amount: amount,
                total_item_amount: amount,
              },
            ],
            tax_inclusive: false,
          }
        : {};
  }
  if (sections.has('store_info')) {
    const storeId = storeIdOf(account, i);
    const terminalId = terminalIdOf(account, i);
    detail.store_info = storeId !== undefined ? { store_id: storeId, ...(terminalId !== undefined ? { terminal_id: terminalId } : {}) } : {};
  }
  if (sections.has('auction_info')) detail.auction_info = {};
  if (sections.has('incentive_info')) detail.incentive_info = {};
  return detail;
}

function payerInfo(payer: Persona): Record<string, unknown> {
  return {
    account_id: payer.payerId,
    email_address: payer.email,
    address_status: 'Y',
    payer_status: payer.verified ? 'Y' : 'N',
    payer_name: { given_name: payer.givenName, surname: payer.surname, alternate_full_name: `${payer.givenName} ${payer.surname}` },
    country_code: payer.address.countryCode,
  };
}

function shippingInfo(payer: Persona): Record<string, unknown> {
  const a = payer.address;
  return {
    name: clean(`${payer.givenName} ${payer.surname}`),
    address: {
      line1: a.line1,
      city: a.city,
      ...(a.state ? { state: a.state } : {}),
      country_code: a.countryCode,
      postal_code: a.postalCode,
    },
  };
}

function clean(text: string): string {
  return text.replace(DISALLOWED_TEXT, ' ').slice(0, 127);
}
