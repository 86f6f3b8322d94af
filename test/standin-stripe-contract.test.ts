import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRecord, type JsonRecord } from './support/contract/json-record.js';
import { convertSchema, type ConversionContext } from './support/contract/schema-converter.js';
import { sharedDir } from './support/shared-reference.js';
import { StandInClock } from '../src/standins/standin-server.js';
import { DEFAULT_STRIPE_KEY, startStripeStandIn, type StripeStandIn } from '../src/standins/stripe/index.js';
import { buildShowcaseAccount, type Showcase } from '../src/standins/stripe/showcase-account.js';

/**
 * Every endpoint of the Stripe stand-in, success and error answers, validated with Ajv against Stripe's own
 * OpenAPI spec (shared/, 2022-04-12 snapshot, API 2020-08-27). The stand-in renders the current API's shapes
 * (2026 fixtures), so the places where the API changed since 2022 are adjusted in a copy of the spec below, each
 * with its reason; an adjustment that finds nothing to adjust fails loudly, so the list cannot go stale.
 */

const SPEC_FILE = path.join(sharedDir, 'reference/payment-apis/stripe/openapi-e0123a38-2022-04-12/spec3.json');

interface SpecAdjustment {
  schema: string;
  /** Required properties the current API no longer returns. */
  dropRequired?: string[];
  reason: string;
}

const ADJUSTMENTS: readonly SpecAdjustment[] = [
  {
    schema: 'invoice',
    dropRequired: ['paid', 'paid_out_of_band', 'total_tax_amounts'],
    reason: 'API 2025-03-31.basil removed invoice.paid and paid_out_of_band (status=paid says it) and replaced total_tax_amounts by total_taxes; the 2026 fixture has total_taxes and none of the three',
  },
  {
    schema: 'subscription',
    dropRequired: ['current_period_end', 'current_period_start'],
    reason: 'API 2025-03-31.basil moved current_period_start/end from the subscription to its items (2026 fixture: items.data[].current_period_*)',
  },
  {
    schema: 'line_item',
    dropRequired: ['proration', 'type'],
    reason: 'API 2025-03-31.basil replaced invoice line proration/type by parent.{type, subscription_item_details.proration, invoice_item_details.proration} (2026 fixture)',
  },
];

type Json = Record<string, unknown>;

let validator: SpecValidator;
let standIn: StripeStandIn;
let showcase: Showcase;

beforeAll(async () => {
  validator = new SpecValidator(JSON.parse(fs.readFileSync(SPEC_FILE, 'utf8')) as JsonRecord);
  const clock = new StandInClock(Date.UTC(2026, 10, 15, 12));
  showcase = buildShowcaseAccount(clock);
  standIn = await startStripeStandIn({ account: showcase.account });
});

afterAll(async () => {
  await standIn?.close();
});

async function get(pathAndQuery: string, key: string | null = DEFAULT_STRIPE_KEY): Promise<{ status: number; body: Json }> {
  const response = await fetch(standIn.url + pathAndQuery, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  return { status: response.status, body: (await response.json()) as Json };
}

const RESOURCES = [
  { list: '/v1/charges', retrieve: '/v1/charges/{charge}', schema: 'charge' },
  { list: '/v1/customers', retrieve: '/v1/customers/{customer}', schema: 'customer' },
  { list: '/v1/invoices', retrieve: '/v1/invoices/{invoice}', schema: 'invoice' },
  { list: '/v1/payment_intents', retrieve: '/v1/payment_intents/{intent}', schema: 'payment_intent' },
  { list: '/v1/refunds', retrieve: '/v1/refunds/{refund}', schema: 'refund' },
  { list: '/v1/balance_transactions', retrieve: '/v1/balance_transactions/{id}', schema: 'balance_transaction' },
  { list: '/v1/disputes', retrieve: '/v1/disputes/{dispute}', schema: 'dispute' },
  { list: '/v1/payouts', retrieve: '/v1/payouts/{payout}', schema: 'payout' },
  { list: '/v1/subscriptions', retrieve: '/v1/subscriptions/{subscription_exposed_id}', schema: 'subscription' },
  { list: '/v1/prices', retrieve: '/v1/prices/{price}', schema: 'price' },
  { list: '/v1/products', retrieve: '/v1/products/{id}', schema: 'product' },
  { list: '/v1/events', retrieve: '/v1/events/{id}', schema: 'event' },
] as const;

describe('Stripe stand-in against spec3.json (2022-04-12)', () => {
  it('applies every documented spec adjustment (none is stale)', () => {
    expect(validator.applied.map((a) => a.schema)).toEqual(ADJUSTMENTS.map((a) => a.schema));
  });

  it('the validator itself rejects broken objects (so the checks below can fail)', async () => {
    const charge = (await get(`/v1/charges/${showcase.account.ids('charge')[0]}`)).body;
    const check = validator.schema('charge');
    validator.expectValid(check, charge, 'unmodified charge');
    expect(() => validator.expectValid(check, { ...charge, amount: '12' }, 'string amount')).toThrow(/\/amount must be integer/);
    expect(() => validator.expectValid(check, { ...charge, status: 'done' }, 'bad status')).toThrow(/\/status must be equal to one of the allowed values/);
    const { refunds: _dropped, ...withoutRefunds } = charge;
    expect(() => validator.expectValid(check, withoutRefunds, 'no refunds')).toThrow(/must have required property 'refunds'/);
    expect(() => validator.expectValid(check, { ...charge, customer: 42 }, 'numeric customer')).toThrow(/\/customer/);
    expect(() => validator.expectValid(validator.response('/v1/charges', 'default'), { error: { type: 'rate_limit_error', message: 'x' } }, 'error type')).toThrow(/\/error\/type/);
  });

  for (const resource of RESOURCES) {
    it(`GET ${resource.list}: every page and every object retrieved conform`, async () => {
      const listCheck = validator.response(resource.list, '200');
      const retrieveCheck = validator.response(resource.retrieve, '200');
      let startingAfter: string | null = null;
      let seen = 0;
      for (let pageNo = 0; pageNo < 50; pageNo += 1) {
        const query: string = `?limit=100${resource.list === '/v1/subscriptions' ? '&status=all' : ''}${startingAfter ? `&starting_after=${startingAfter}` : ''}`;
        const page = await get(resource.list + query);
        expect(page.status).toBe(200);
        validator.expectValid(listCheck, page.body, `GET ${resource.list}${query}`);
        const data = page.body.data as Json[];
        seen += data.length;
        // Retrieve a sample of each page (every 7th object) through the retrieve endpoint.
        for (const [index, item] of data.entries()) {
          if (index % 7 !== 0) continue;
          const one = await get(`${resource.list}/${String(item.id)}`);
          expect(one.status).toBe(200);
          validator.expectValid(retrieveCheck, one.body, `GET ${resource.list}/${String(item.id)}`);
        }
        if (!page.body.has_more) break;
        startingAfter = String(data[data.length - 1]?.id);
      }
      expect(seen).toBeGreaterThan(2);
    });
  }

  it('every event carries a data.object valid as its own resource, and previous_attributes where updated', async () => {
    const events = showcase.account.events();
    const types = new Set(events.map((e) => String(e.type)));
    // One of each type the stand-in emits in the showcase.
    for (const type of [
      'customer.created',
      'customer.updated',
      'customer.deleted',
      'product.deleted',
      'price.deleted',
      'price.updated',
      'charge.succeeded',
      'charge.failed',
      'charge.updated',
      'charge.refunded',
      'charge.captured',
      'charge.dispute.created',
      'charge.dispute.updated',
      'charge.dispute.closed',
      'payment_intent.created',
      'payment_intent.succeeded',
      'payment_intent.payment_failed',
      'payment_intent.canceled',
      'payment_intent.amount_capturable_updated',
      'refund.created',
      'payout.created',
      'payout.updated',
      'payout.paid',
      'payout.failed',
      'customer.subscription.created',
      'customer.subscription.updated',
      'customer.subscription.deleted',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.updated',
      'invoice.voided',
      'invoice.marked_uncollectible',
      'invoice.deleted',
    ]) {
      expect(types, type).toContain(type);
    }
    const eventCheck = validator.response('/v1/events/{id}', '200');
    const checked = new Set<string>();
    for (const event of events) {
      const type = String(event.type);
      if (checked.has(type)) continue;
      checked.add(type);
      const answer = await get(`/v1/events/${event.id}`);
      validator.expectValid(eventCheck, answer.body, `GET /v1/events/${event.id} (${type})`);
      const data = answer.body.data as Json;
      const object = data.object as Json;
      validator.expectValid(validator.schema(String(object.object)), object, `${type} data.object`);
      if (type.endsWith('.updated')) expect(Object.keys(data.previous_attributes as Json).length, type).toBeGreaterThan(0);
    }
  });

  it('GET /v1/events with types[] conforms', async () => {
    const answer = await get('/v1/events?limit=100&types[0]=charge.succeeded&types[1]=refund.created');
    validator.expectValid(validator.response('/v1/events', '200'), answer.body, 'GET /v1/events?types');
    expect((answer.body.data as Json[]).every((e) => e.type === 'charge.succeeded' || e.type === 'refund.created')).toBe(true);
  });

  it('a deleted customer retrieves as deleted_customer (anyOf customer | deleted_customer)', async () => {
    const answer = await get(`/v1/customers/${showcase.deletedCustomer}`);
    expect(answer.body).toEqual({ id: showcase.deletedCustomer, object: 'customer', deleted: true });
    validator.expectValid(validator.response('/v1/customers/{customer}', '200'), answer.body, 'deleted customer');
    validator.expectValid(validator.schema('deleted_customer'), answer.body, 'deleted customer');
  });

  it('error answers conform to the `error` schema (default response)', async () => {
    const errorCheck = validator.response('/v1/charges', 'default');
    const chargeId = showcase.account.ids('charge')[0] as string;
    const cases: [string, string | null, number, Json][] = [
      ['/v1/charges', null, 401, { type: 'invalid_request_error' }],
      ['/v1/charges', 'sk_test_wrongwrongwrong1234', 401, { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_***************1234' }],
      ['/v1/charges?limit=0', DEFAULT_STRIPE_KEY, 400, { param: 'limit' }],
      ['/v1/charges?limit=101', DEFAULT_STRIPE_KEY, 400, { param: 'limit' }],
      ['/v1/charges?limit=ten', DEFAULT_STRIPE_KEY, 400, { param: 'limit', message: 'Invalid integer: ten' }],
      ['/v1/charges?colour=red', DEFAULT_STRIPE_KEY, 400, { param: 'colour' }],
      ['/v1/charges?created[after]=5', DEFAULT_STRIPE_KEY, 400, { param: 'created[after]' }],
      ['/v1/charges?starting_after=ch_nope', DEFAULT_STRIPE_KEY, 400, { code: 'resource_missing', param: 'starting_after' }],
      [`/v1/charges?starting_after=${chargeId}&ending_before=${chargeId}`, DEFAULT_STRIPE_KEY, 400, { type: 'invalid_request_error' }],
      ['/v1/invoices?status=late', DEFAULT_STRIPE_KEY, 400, { param: 'status' }],
      ['/v1/events?types[0]=a&type=b', DEFAULT_STRIPE_KEY, 400, { type: 'invalid_request_error' }],
      [`/v1/events?${Array.from({ length: 21 }, (_, i) => `types[${i}]=t${i}`).join('&')}`, DEFAULT_STRIPE_KEY, 400, { param: 'types' }],
      ['/v1/charges/ch_nope', DEFAULT_STRIPE_KEY, 404, { code: 'resource_missing', param: 'id' }],
      [`/v1/products/${showcase.deletedProduct}`, DEFAULT_STRIPE_KEY, 404, { code: 'resource_missing' }],
      [`/v1/prices/${showcase.deletedPrice}`, DEFAULT_STRIPE_KEY, 404, { code: 'resource_missing' }],
      [`/v1/invoices/${showcase.deletedInvoice}`, DEFAULT_STRIPE_KEY, 404, { code: 'resource_missing' }],
      ['/v1/widgets', DEFAULT_STRIPE_KEY, 404, { type: 'invalid_request_error' }],
    ];
    for (const [url, key, status, expected] of cases) {
      const answer = await get(url, key);
      expect(answer.status, url).toBe(status);
      expect(answer.body.error, url).toMatchObject(expected);
      validator.expectValid(errorCheck, answer.body, `GET ${url}`);
    }
  });

  it('injected 429 and 500 answers conform to the `error` schema', async () => {
    const errorCheck = validator.response('/v1/charges', 'default');
    for (const [kind, status, type] of [
      ['rate-limit', 429, 'invalid_request_error'],
      ['server-error', 500, 'api_error'],
    ] as const) {
      standIn.setFaults({ rate: 1, kinds: [kind] });
      const answer = await get('/v1/charges');
      standIn.setFaults(null);
      expect(answer.status).toBe(status);
      expect((answer.body.error as Json).type).toBe(type);
      validator.expectValid(errorCheck, answer.body, `${kind} fault`);
    }
  });
});

/** Ajv over the spec's component schemas (converted from OpenAPI 3.0: `nullable`, draft-04 bounds), compiled lazily. */
class SpecValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  private readonly ctx: ConversionContext = { refBase: 'https://stripe-spec.invalid/spec3.json', locations: new WeakMap(), formats: new Set() };
  private readonly cache = new Map<string, ValidateFunction>();
  readonly applied: SpecAdjustment[] = [];

  constructor(private readonly spec: JsonRecord) {
    const schemas = (spec.components as JsonRecord).schemas as JsonRecord;
    for (const adjustment of ADJUSTMENTS) this.adjust(schemas, adjustment);
    const definitions: JsonRecord = {};
    for (const [name, schema] of Object.entries(schemas)) definitions[name] = convertSchema(schema, `#/components/schemas/${name}`, this.ctx);
    this.ajv.addSchema({ $id: this.ctx.refBase, definitions });
    // Stripe's own formats (unix-time, decimal) carry no constraint a validator could check.
    for (const format of this.ctx.formats) this.ajv.addFormat(format, true);
  }

  /** A named component schema (`charge`, `deleted_customer`, ...). */
  schema(name: string): ValidateFunction {
    return this.compiled(`schema:${name}`, () => ({ $ref: `${this.ctx.refBase}#/definitions/${name}` }));
  }

  /** The JSON response schema of `GET <path>` for a status key ('200', 'default'). */
  response(specPath: string, status: string): ValidateFunction {
    return this.compiled(`response:${specPath}:${status}`, () => {
      const operation = ((this.spec.paths as JsonRecord)[specPath] as JsonRecord | undefined)?.get as JsonRecord | undefined;
      const response = (operation?.responses as JsonRecord | undefined)?.[status] as JsonRecord | undefined;
      const schema = ((response?.content as JsonRecord | undefined)?.['application/json'] as JsonRecord | undefined)?.schema;
      if (!isRecord(schema)) throw new Error(`spec has no JSON schema for GET ${specPath} ${status}`);
      return convertSchema(schema, `#/paths/${specPath}/get/responses/${status}`, this.ctx) as JsonRecord;
    });
  }

  expectValid(validate: ValidateFunction, body: unknown, label: string): void {
    if (validate(body)) return;
    const lines = (validate.errors ?? []).map((error: ErrorObject) => `  ${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)} (spec ${error.schemaPath})`);
    throw new Error(`${label} violates spec3.json:\n${lines.slice(0, 25).join('\n')}${lines.length > 25 ? `\n  … ${lines.length - 25} more` : ''}`);
  }

  private compiled(key: string, make: () => JsonRecord): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(make());
      this.cache.set(key, validate);
    }
    return validate;
  }

  private adjust(schemas: JsonRecord, adjustment: SpecAdjustment): void {
    const schema = schemas[adjustment.schema];
    if (!isRecord(schema) || !Array.isArray(schema.required)) throw new Error(`spec adjustment for ${adjustment.schema}: no such schema with required properties`);
    const required = schema.required as string[];
    for (const name of adjustment.dropRequired ?? []) {
      if (!required.includes(name)) throw new Error(`spec adjustment for ${adjustment.schema}: '${name}' is no longer required, drop the adjustment`);
    }
    schema.required = required.filter((name) => !(adjustment.dropRequired ?? []).includes(name));
    this.applied.push(adjustment);
  }
}
