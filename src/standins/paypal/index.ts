export { startPayPalStandIn, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type PayPalStandIn, type PayPalStandInOptions } from './paypal-standin.js';
export { PayPalAccount, generatePayPalAccount, DEFAULT_MAX_VISIBILITY_LAG_MS, type PayPalAccountOptions, type GeneratedAccountOptions, type TransactionSnapshot } from './paypal-account.js';
export type { ProductInput, ProductChanges, Product, ProductType } from './product-catalog.js';
export type { TransactionInput, RefundOptions } from './transaction-ledger.js';
export type { TransactionStatus, InstrumentType } from './transaction-store.js';
export type { Dispute, DisputeInput, DisputeChanges, DisputeStatus, DisputeState, DisputeReason } from './dispute-book.js';
export type { BalanceInput, BalanceSnapshot } from './balance-history.js';
export type { GenerateOptions } from './account-generator.js';
export { lastRefreshed } from './transaction-search.js';
