import type { RetryPolicy } from '../../src/connectors/rest/http-requester.js';

/** What the payments-source tests share: the Flow Service path, the built-in spec ids, and quick retries. */
export const flowservice = '/data/foundation/flowservice';
export const paypalSpec = '221c7626-58f6-4eec-8ee2-042b0226f03b';
export const stripeSpec = 'cc2c31d6-7b8c-4581-b49f-5c8698aa3ab3';
export const squareSpec = '2acf109f-9b66-4d5e-bc18-ebb2adcff8d5';
export const crmFlowSpec = '14518937-270c-4525-bdec-c2ba7cce3860';
export const restFlowSpec = '6499120c-0b15-42dc-936e-847ea3c24d72';

/** Short waits between retries: the stand-ins' faults are many, a test's time is not. */
export const quickRetries: RetryPolicy = { attempts: 8, statuses: [408, 429, 500, 502, 503, 504], baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 5_000 };
