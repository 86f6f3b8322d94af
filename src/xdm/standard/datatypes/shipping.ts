import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';
import { currencyCodeField } from './currency-code-field.js';

export const shipping = dataType({
  id: ids.shipping,
  title: 'Shipping',
  description: 'How products are shipped: method, cost, destination, address and tracking.',
  status: 'stable',
  definitions: {
    shipping: definition({
      'xdm:shippingMethod': field.string('Shipping Method'),
      'xdm:shippingAmount': field.number('Shipping Amount'),
      'xdm:currencyCode': currencyCodeField('Currency code'),
      'xdm:shippingDestination': field.string('Shipping Destination', {
        enum: ['home', 'store'],
        labels: { home: 'Home', store: 'Store' },
      }),
      'xdm:shipDate': field.dateTime('Ship Date'),
      'xdm:address': field.ref('Shipping Address', ids.address),
      // A number in XDM, although carriers' tracking "numbers" often contain letters.
      'xdm:trackingNumber': field.number('Tracking Number'),
      'xdm:trackingURL': field.string('Tracking URL'),
    }),
  },
  allOf: [definitionRef('shipping')],
});
