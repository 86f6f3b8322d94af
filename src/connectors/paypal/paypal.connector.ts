import type { ColumnDefinition, RestConnectorDefinition } from '../rest/definition.js';

/** The PayPal connection spec this connector reads (the tutorial's id). */
export const paypalSpecId = '221c7626-58f6-4eec-8ee2-042b0226f03b';

const day = 86_400_000;
const money = (name: string, path: string[]): ColumnDefinition[] => [
  { name: `${name}_Value`, path: [...path, 'value'], type: 'number' },
  { name: `${name}_Currency`, path: [...path, 'currency_code'], type: 'string' },
];

/**
 * Every table that changes has `updatedAt`, the column the payments tutorial's flow names as its delta column,
 * so that flow runs as written; it holds the provider's own last-update time.
 */
const updatedAt = (path: string[]): ColumnDefinition => ({ name: 'updatedAt', path, type: 'date-time' });

/**
 * PayPal's REST API as tables, named as AEP's PayPal source names them (`PayPal.Catalog_Products`).
 * Transaction search filters on the initiation date only, is limited to 31-day windows and lags up to three
 * hours: windows stop three hours before now, and each run re-reads the last week, so a transaction whose
 * status changed after it was first read lands again with its new status.
 */
export const paypalDefinition: RestConnectorDefinition = {
  vendor: 'PayPal',
  defaultHost: 'api-m.paypal.com',
  auth: { type: 'oauth2-client-credentials', tokenPath: '/v1/oauth2/token', clientIdParam: 'clientId', clientSecretParam: 'clientSecret' },
  rateLimit: { requestsPerSecond: 10, burst: 20 },
  concurrency: 4,
  check: { path: '/v1/catalogs/products', query: { page_size: '1' } },
  streams: [
    {
      name: 'Catalog_Products',
      description: 'Products of the catalog, with their type and category from each product\'s detail',
      request: { path: '/v1/catalogs/products', query: { page_size: '20', total_required: 'true' } },
      records: { path: ['products'] },
      paginator: { type: 'page-number', param: 'page', totalPagesPath: ['total_pages'] },
      // The list gives id, name, description and create time; type, category and update time need the detail.
      detail: { path: '/v1/catalogs/products/{id}', idPath: ['id'] },
      tolerate: [{ status: 404, reason: 'product deleted between list and detail' }],
      primaryKey: 'Product_Id',
      ignoredFields: ['links'],
      columns: [
        { name: 'Product_Id', path: ['id'], type: 'string' },
        { name: 'Product_Name', path: ['name'], type: 'string' },
        { name: 'Description', path: ['description'], type: 'string' },
        { name: 'Type', path: ['type'], type: 'string' },
        { name: 'Category', path: ['category'], type: 'string' },
        { name: 'Image_Url', path: ['image_url'], type: 'string' },
        { name: 'Home_Url', path: ['home_url'], type: 'string' },
        { name: 'Create_Time', path: ['create_time'], type: 'date-time' },
        { name: 'Update_Time', path: ['update_time'], type: 'date-time' },
        updatedAt(['update_time']),
      ],
    },
    {
      name: 'Transactions',
      description: 'Transaction search: every transaction with its payer, cart and shipping details',
      request: { path: '/v1/reporting/transactions', query: { fields: 'all', page_size: '500' } },
      records: { path: ['transaction_details'] },
      paginator: { type: 'page-number', param: 'page', totalPagesPath: ['total_pages'] },
      cursor: {
        type: 'time-window',
        column: 'Transaction_Initiation_Date',
        startParam: 'start_date',
        endParam: 'end_date',
        format: 'rfc3339',
        maxWindowMs: 31 * day,
        sourceLagMs: 3 * 3_600_000,
        lookbackMs: 7 * day,
        historyMs: 3 * 365 * day,
        splitWhen: { status: 400, bodyIncludes: 'RESULTSET_TOO_LARGE' },
      },
      primaryKey: 'Transaction_Id',
      ignoredFields: ['auction_info', 'incentive_info', 'store_info'],
      columns: [
        { name: 'Transaction_Id', path: ['transaction_info', 'transaction_id'], type: 'string' },
        { name: 'Transaction_Event_Code', path: ['transaction_info', 'transaction_event_code'], type: 'string' },
        { name: 'Transaction_Initiation_Date', path: ['transaction_info', 'transaction_initiation_date'], type: 'date-time' },
        { name: 'Transaction_Updated_Date', path: ['transaction_info', 'transaction_updated_date'], type: 'date-time' },
        ...money('Transaction_Amount', ['transaction_info', 'transaction_amount']),
        ...money('Fee_Amount', ['transaction_info', 'fee_amount']),
        { name: 'Transaction_Status', path: ['transaction_info', 'transaction_status'], type: 'string' },
        { name: 'Invoice_Id', path: ['transaction_info', 'invoice_id'], type: 'string' },
        { name: 'Custom_Field', path: ['transaction_info', 'custom_field'], type: 'string' },
        { name: 'Paypal_Reference_Id', path: ['transaction_info', 'paypal_reference_id'], type: 'string' },
        { name: 'Payer_Account_Id', path: ['payer_info', 'account_id'], type: 'string' },
        { name: 'Payer_Email', path: ['payer_info', 'email_address'], type: 'string' },
        { name: 'Payer_Name', path: ['payer_info', 'payer_name', 'alternate_full_name'], type: 'string' },
        { name: 'Payer_Country_Code', path: ['payer_info', 'country_code'], type: 'string' },
        updatedAt(['transaction_info', 'transaction_updated_date']),
        { name: 'Transaction_Info', path: ['transaction_info'], type: 'object' },
        { name: 'Cart_Info', path: ['cart_info'], type: 'object' },
        { name: 'Shipping_Info', path: ['shipping_info'], type: 'object' },
      ],
    },
    {
      name: 'Balances',
      description: 'The account\'s balance in each currency, as of the run',
      request: { path: '/v1/reporting/balances' },
      records: { path: ['balances'] },
      paginator: { type: 'none' },
      primaryKey: 'Currency',
      columns: [
        { name: 'Currency', path: ['currency'], type: 'string' },
        { name: 'Primary', path: ['primary'], type: 'boolean' },
        ...money('Total_Balance', ['total_balance']),
        ...money('Available_Balance', ['available_balance']),
        ...money('Withheld_Balance', ['withheld_balance']),
      ],
    },
    {
      name: 'Disputes',
      description: 'Customer disputes and their state',
      request: { path: '/v1/customer/disputes', query: { page_size: '50' } },
      records: { path: ['items'] },
      paginator: { type: 'next-link', linksPath: ['links'] },
      primaryKey: 'Dispute_Id',
      ignoredFields: ['links'],
      columns: [
        { name: 'Dispute_Id', path: ['dispute_id'], type: 'string' },
        { name: 'Create_Time', path: ['create_time'], type: 'date-time' },
        { name: 'Update_Time', path: ['update_time'], type: 'date-time' },
        { name: 'Status', path: ['status'], type: 'string' },
        { name: 'Reason', path: ['reason'], type: 'string' },
        { name: 'Dispute_State', path: ['dispute_state'], type: 'string' },
        { name: 'Dispute_Life_Cycle_Stage', path: ['dispute_life_cycle_stage'], type: 'string' },
        { name: 'Dispute_Channel', path: ['dispute_channel'], type: 'string' },
        ...money('Dispute_Amount', ['dispute_amount']),
        updatedAt(['update_time']),
        { name: 'Disputed_Transactions', path: ['disputed_transactions'], type: 'array' },
      ],
    },
  ],
};
