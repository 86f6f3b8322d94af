import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';
import { currencyCodeField } from './currency-code-field.js';
import { paymentMethodLabels } from './payment-method-labels.js';

export const refundItem = dataType({
  id: ids.refundItem,
  title: 'Refund Item',
  description: 'One refund on an order: reason, method, amount and currency.',
  status: 'stable',
  definitions: {
    refunditem: definition({
      'xdm:transactionID': field.string('Transaction ID'),
      'xdm:refundAmount': field.number('Refund Amount'),
      // XDM's default is not among its own enum values; kept as published.
      'xdm:refundReason': field.string('Refund Reason', {
        default: 'other',
        enum: ['return', 'price_adjustment'],
        labels: { return: 'Return', price_adjustment: 'Price Adjustment' },
      }),
      'xdm:refundPaymentType': field.string('Refund Payment Type', {
        default: 'other',
        enum: Object.keys(paymentMethodLabels),
        labels: paymentMethodLabels,
      }),
      'xdm:currencyCode': currencyCodeField('Currency Code'),
    }),
  },
  allOf: [definitionRef('refunditem')],
});
