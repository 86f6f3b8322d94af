import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

export const billing = dataType({
  id: ids.billing,
  title: 'Billing',
  description: 'Where the bill for one or more payments goes.',
  status: 'experimental',
  definitions: {
    billing: definition({
      'xdm:address': field.ref('Billing Address', ids.address),
    }),
  },
  allOf: [definitionRef('billing')],
});
