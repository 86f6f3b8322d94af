import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

export const returnItem = dataType({
  id: ids.returnItem,
  title: 'Return Item',
  description: 'The return of one order item: reason, condition, resolution and quantities.',
  status: 'stable',
  definitions: {
    returnitem: definition({
      'xdm:returnStatus': field.string('Return Status'),
      'xdm:returnReason': field.string('Return Reason'),
      'xdm:returnItemCondition': field.string('Return Item Condition'),
      'xdm:returnResolution': field.string('Return Resolution'),
      'xdm:returnQuantityRequested': field.integer('Return Quantity Requested'),
      'xdm:returnQuantityAuthorized': field.integer('Return Quantity Authorized'),
      // Misspelled original of returnQuantityAuthorized, kept so old data still validates.
      'xdm:returnQuanitityAuthorized': field.integer('Return Quantity Authorized', { deprecated: true }),
      'xdm:returnQuantityReceived': field.integer('Return Quantity Received'),
      'xdm:returnQuantityApproved': field.integer('Return Quantity Approved'),
    }),
  },
  allOf: [definitionRef('returnitem')],
});
