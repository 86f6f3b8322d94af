import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';
import { currencyCodeField } from './currency-code-field.js';

export const order = dataType({
  id: ids.order,
  title: 'Order',
  description: 'An order for a list of products, with its payments, refunds and totals.',
  status: 'stable',
  definitions: {
    order: definition({
      'xdm:purchaseID': field.string('Purchase ID'),
      'xdm:purchaseOrderNumber': field.string('Purchase Order Number'),
      'xdm:payments': field.array('Payment List', field.ref(undefined, ids.paymentItem)),
      'xdm:refunds': field.array('Refunds List', field.ref(undefined, ids.refundItem)),
      'xdm:returns': field.ref('Return Info', ids.orderReturn),
      'xdm:currencyCode': currencyCodeField('Currency'),
      'xdm:taxAmount': field.number('Tax Amount'),
      'xdm:discountAmount': field.number('Discount Amount'),
      'xdm:priceTotal': field.number('Price Total'),
      'xdm:orderType': field.string('Order Type', {
        enum: ['checkout', 'instant_purchase'],
        labels: { checkout: 'checkout', instant_purchase: 'Instant Purchase' },
      }),
      'xdm:lastUpdatedDate': field.dateTime('Last Updated Date'),
      'xdm:createdDate': field.dateTime('Created Date'),
      'xdm:cancelDate': field.dateTime('Cancel Date'),
      'xdm:refundTotal': field.number('Total Amount Refunded'),
    }),
  },
  allOf: [definitionRef('order')],
});
