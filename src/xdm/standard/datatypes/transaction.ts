import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

export const transaction = dataType({
  id: ids.transaction,
  title: 'Transaction',
  description: 'A money movement that is not an order, such as a transfer or a bill payment.',
  status: 'stable',
  extensible: true,
  definitions: {
    transaction: definition({
      'xdm:transactionAmount': field.ref('Transaction Amount', ids.currency),
      'xdm:transactionID': field.string('Transaction ID'),
      'xdm:transactionDate': field.dateTime('Transaction Date'),
      'xdm:transactionType': field.string('Transaction Type'),
    }),
  },
  allOf: [definitionRef('transaction')],
});
