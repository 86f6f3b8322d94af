import type { ColumnDefinition, PaginatorDefinition, RestConnectorDefinition, StreamDefinition, WindowedCursor } from '../rest/definition.js';

/** The Square connection spec this connector reads (AEP's Square source). */
export const squareSpecId = '2acf109f-9b66-4d5e-bc18-ebb2adcff8d5';

/** The API version every request asks for (the published specification's). */
export const squareApiVersion = '2025-08-20';

const day = 86_400_000;
/** Before Square's APIs existed: a `created` bound that lets an `updated_at` window see every record. */
const beforeSquare = '2009-01-01T00:00:00Z';

const text = (name: string, ...path: string[]): ColumnDefinition => ({ name, path, type: 'string' });
const time = (name: string, ...path: string[]): ColumnDefinition => ({ name, path, type: 'date-time' });
const count = (name: string, ...path: string[]): ColumnDefinition => ({ name, path, type: 'integer' });
const whole: ColumnDefinition = { name: 'Object', path: [], type: 'object' };
/** Square's money `{amount, currency}` (amount in the currency's smallest unit) as two columns. */
const money = (name: string, field: string, currency = `${name}_Currency`): ColumnDefinition[] => [count(name, field, 'amount'), text(currency, field, 'currency')];

/** Records changed in [start, end), by `updated_at`; a minute re-read each run for changes stamped as a window closed. */
function updatedWindow(place: 'query' | 'body', startParam: string, endParam: string, order?: 'oldest-first'): WindowedCursor {
  return { type: 'time-window', column: 'Updated_At', in: place, startParam, endParam, format: 'rfc3339', maxWindowMs: 365 * day, sourceLagMs: 0, lookbackMs: 60_000, historyMs: 17 * 365 * day, ...(order ? { order } : {}) };
}

const cursorInQuery: PaginatorDefinition = { type: 'cursor', cursorPath: ['cursor'], param: 'cursor', in: 'query' };
const cursorInBody: PaginatorDefinition = { type: 'cursor', cursorPath: ['cursor'], param: 'cursor', in: 'body' };
const locations = { request: { path: '/v2/locations' }, records: { path: ['locations'] }, valuePath: ['id'] };

const payments: StreamDefinition = {
  name: 'Payments',
  // Square lists one location's payments per request (the main one unless asked): every location is read.
  request: { path: '/v2/payments', query: { sort_field: 'UPDATED_AT', sort_order: 'ASC', begin_time: beforeSquare, limit: '100' } },
  records: { path: ['payments'] },
  paginator: cursorInQuery,
  partitions: { ...locations, param: 'location_id', in: 'query' },
  cursor: updatedWindow('query', 'updated_at_begin_time', 'updated_at_end_time', 'oldest-first'),
  primaryKey: 'Id',
  columns: [text('Id', 'id'), time('Created_At', 'created_at'), time('Updated_At', 'updated_at'), ...money('Amount', 'amount_money', 'Currency'), ...money('Total', 'total_money'), ...money('Refunded', 'refunded_money'), text('Status', 'status'), text('Source_Type', 'source_type'), text('Location_Id', 'location_id'), text('Order_Id', 'order_id'), text('Customer_Id', 'customer_id'), text('Receipt_Number', 'receipt_number'), whole],
};

const refunds: StreamDefinition = {
  name: 'Refunds',
  request: { path: '/v2/refunds', query: { sort_field: 'UPDATED_AT', sort_order: 'ASC', begin_time: beforeSquare, limit: '100' } },
  records: { path: ['refunds'] },
  paginator: cursorInQuery,
  cursor: updatedWindow('query', 'updated_at_begin_time', 'updated_at_end_time', 'oldest-first'),
  primaryKey: 'Id',
  columns: [text('Id', 'id'), time('Created_At', 'created_at'), time('Updated_At', 'updated_at'), ...money('Amount', 'amount_money', 'Currency'), text('Status', 'status'), text('Payment_Id', 'payment_id'), text('Order_Id', 'order_id'), text('Location_Id', 'location_id'), text('Reason', 'reason'), whole],
};

const customers: StreamDefinition = {
  name: 'Customers',
  request: { method: 'POST', path: '/v2/customers/search', body: { limit: 100, query: { sort: { field: 'CREATED_AT', order: 'ASC' } } } },
  records: { path: ['customers'] },
  paginator: cursorInBody,
  cursor: updatedWindow('body', 'query.filter.updated_at.start_at', 'query.filter.updated_at.end_at'),
  // A deleted customer simply stops being listed: a weekly full read finds who is gone.
  reconcileEveryMs: 7 * day,
  primaryKey: 'Id',
  columns: [text('Id', 'id'), time('Created_At', 'created_at'), time('Updated_At', 'updated_at'), text('Given_Name', 'given_name'), text('Family_Name', 'family_name'), text('Company_Name', 'company_name'), text('Email_Address', 'email_address'), text('Phone_Number', 'phone_number'), text('Reference_Id', 'reference_id'), count('Version', 'version'), whole],
};

const orders: StreamDefinition = {
  name: 'Orders',
  request: { method: 'POST', path: '/v2/orders/search', body: { limit: 500, query: { sort: { sort_field: 'UPDATED_AT', sort_order: 'ASC' } } } },
  records: { path: ['orders'] },
  paginator: cursorInBody,
  // Order search takes at most ten locations a request.
  partitions: { ...locations, param: 'location_ids', in: 'body', groupSize: 10 },
  cursor: updatedWindow('body', 'query.filter.date_time_filter.updated_at.start_at', 'query.filter.date_time_filter.updated_at.end_at', 'oldest-first'),
  primaryKey: 'Id',
  columns: [text('Id', 'id'), time('Created_At', 'created_at'), time('Updated_At', 'updated_at'), time('Closed_At', 'closed_at'), text('State', 'state'), text('Location_Id', 'location_id'), text('Customer_Id', 'customer_id'), ...money('Total', 'total_money'), count('Version', 'version'), whole],
};

const catalog: StreamDefinition = {
  name: 'Catalog_Objects',
  request: { method: 'POST', path: '/v2/catalog/search', body: { include_deleted_objects: true, limit: 1000 } },
  records: { path: ['objects'] },
  paginator: cursorInBody,
  // Catalog search takes only "changed since": one window up to now.
  cursor: { type: 'time-window', column: 'Updated_At', in: 'body', startParam: 'begin_time', format: 'rfc3339', maxWindowMs: 100 * 365 * day, sourceLagMs: 0, lookbackMs: 60_000, historyMs: 17 * 365 * day },
  deletedWhen: { path: ['is_deleted'], equals: true },
  primaryKey: 'Id',
  columns: [text('Id', 'id'), text('Type', 'type'), time('Updated_At', 'updated_at'), count('Version', 'version'), { name: 'Is_Deleted', path: ['is_deleted'], type: 'boolean' }, text('Name', 'item_data', 'name'), whole],
};

const locationTable: StreamDefinition = {
  name: 'Locations',
  request: { path: '/v2/locations' },
  records: { path: ['locations'] },
  paginator: { type: 'none' },
  // A handful of rows with no change filter: every run reads them all.
  reconcileEveryMs: 0,
  primaryKey: 'Id',
  columns: [text('Id', 'id'), text('Name', 'name'), text('Status', 'status'), text('Country', 'country'), text('Currency', 'currency'), text('Timezone', 'timezone'), time('Created_At', 'created_at'), whole],
};

/**
 * Square as tables. Its OAuth access tokens expire and are renewed with a refresh token that may rotate; the
 * new pair is stored on the connection before it is used.
 */
export const squareDefinition: RestConnectorDefinition = {
  vendor: 'Square',
  defaultHost: 'connect.squareup.com',
  auth: { type: 'oauth2-refresh-token', tokenPath: '/oauth2/token', clientIdParam: 'clientId', clientSecretParam: 'clientSecret', accessTokenParam: 'accessToken', refreshTokenParam: 'refreshToken' },
  headers: { 'square-version': squareApiVersion },
  rateLimit: { requestsPerSecond: 20, burst: 20 },
  concurrency: 4,
  check: { path: '/v2/locations' },
  streams: [payments, refunds, customers, orders, catalog, locationTable],
};
