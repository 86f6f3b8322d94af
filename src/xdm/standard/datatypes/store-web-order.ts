import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';
import { currencyCodeField } from './currency-code-field.js';

export const storeWebOrder = dataType({
  id: ids.storeWebOrder,
  title: 'Store and Web Order',
  description: 'An order placed in a store or on a website, with its payment.',
  status: 'experimental',
  definitions: {
    'store-web-order': definition({
      'xdm:orderID': field.string('Order ID'),
      'xdm:orderDate': field.dateTime('Order Date'),
      'xdm:priceTotal': field.number('Price Total'),
      'xdm:payment': field.object('Payment Details', {
        'xdm:transactionID': field.string('Transaction ID'),
        'xdm:paymentType': field.string('Payment Type', {
          enum: ['credit', 'debit', 'gift', 'cash'],
          labels: { credit: 'Credit', debit: 'Debit', gift: 'Gift', cash: 'Cash' },
        }),
        'xdm:paymentAmount': field.number('Payment Amount'),
        'xdm:currencyCode': currencyCodeField('Currency'),
      }),
    }),
  },
  allOf: [definitionRef('store-web-order')],
});
