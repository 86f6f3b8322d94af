import { describe, expect, it } from 'vitest';
import { paypalDefinition } from '../src/connectors/paypal/paypal.connector.js';
import { definitionProblems } from '../src/connectors/rest/check-definition.js';
import type { RestConnectorDefinition } from '../src/connectors/rest/definition.js';
import { RestConnector } from '../src/connectors/rest/rest-connector.js';
import { squareDefinition } from '../src/connectors/square/square.connector.js';
import { stripeDefinition } from '../src/connectors/stripe/stripe.connector.js';

describe('connector definitions, checked when they are loaded', () => {
  it.each([paypalDefinition, stripeDefinition, squareDefinition].map((d) => [d.vendor, d] as const))('%s holds together', (_, definition) => {
    expect(definitionProblems(definition)).toEqual([]);
  });

  it('refuses a definition that does not, naming each mistake', () => {
    const [first] = stripeDefinition.streams;
    if (!first?.changes) throw new Error('Stripe charges have a change feed');
    const broken: RestConnectorDefinition = {
      ...stripeDefinition,
      concurrency: 0,
      streams: [
        { ...first, primaryKey: 'Nope', columns: [...first.columns, { name: '_deleted', path: ['x'], type: 'boolean' }], changes: { ...first.changes, deletedTypes: ['charge.vanished'] } },
        { ...first, tolerate: [{ status: 200, reason: 'fine' }] },
      ],
    };
    expect(definitionProblems(broken)).toEqual([
      'Charges: column name _deleted is reserved for the engine',
      'Charges: the primary key Nope is not a column',
      'Charges: deletion events charge.vanished are never asked for',
      'Charges: two streams have this name',
      'Charges: status 200 is a success, not something to tolerate',
      'concurrency must be at least 1',
    ]);
    expect(() => new RestConnector(broken)).toThrow(/the Stripe connector definition is broken/);
  });

  it('refuses a rate for credentials that allows nothing or matches no prefix', () => {
    const broken: RestConnectorDefinition = {
      ...stripeDefinition,
      rateLimit: {
        requestsPerSecond: 100,
        burst: 100,
        byCredentials: [
          { when: { type: 'prefix', param: 'accessToken', prefixes: ['sk_test_'] }, requestsPerSecond: 0, burst: 25 },
          { when: { type: 'prefix', param: 'accessToken', prefixes: [''] }, requestsPerSecond: 25, burst: 25 },
        ],
      },
    };
    expect(definitionProblems(broken)).toEqual(['the rate limit must allow at least one request', 'a rate for credentials by accessToken must name prefixes, none empty']);
  });
});
