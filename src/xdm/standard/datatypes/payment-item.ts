import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';
import { currencyCodeField } from './currency-code-field.js';
import { paymentMethodLabels } from './payment-method-labels.js';

export const paymentItem = dataType({
  id: ids.paymentItem,
  title: 'Payment Item',
  description: 'One payment towards an order: method, amount and currency.',
  status: 'stable',
  definitions: {
    paymentitem: definition({
      'xdm:transactionID': field.string('Transaction ID'),
      'xdm:paymentAmount': field.number('Payment Amount'),
      'xdm:paymentType': field.string('Payment Type', { default: 'other', labels: paymentMethodLabels }),
      'xdm:currencyCode': currencyCodeField('Currency Code'),
    }),
  },
  allOf: [definitionRef('paymentitem')],
});
