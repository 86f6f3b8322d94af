import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Return: a return merchandise authorization (RMA) on an order. */
export const orderReturn = dataType({
  id: ids.orderReturn,
  title: 'Return',
  description: 'A return merchandise authorization (RMA) issued for an order.',
  status: 'stable',
  definitions: {
    return: definition({
      'xdm:returnID': field.string('Return ID'),
      'xdm:returnStatus': field.string('Return Status'),
      'xdm:purchaseID': field.string('Order Purchase ID'),
    }),
  },
  allOf: [definitionRef('return')],
});
