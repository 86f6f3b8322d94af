import { definition, fieldGroup } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Order Details: an order with its products, store, billing and shipping. */
export const experienceEventOrderDetails = fieldGroup({
  id: ids.experienceEventOrderDetails,
  title: 'Order Details',
  description: 'Adds an order with its product list items, store, billing and shipping details.',
  status: 'experimental',
  extensible: true,
  abstract: true,
  tags: { industry: ['all'] },
  intendedToExtend: [ids.experienceEvent],
  definitions: {
    'experienceevent-order': definition({
      'xdm:productListItems': field.array('Product list items', field.ref(undefined, ids.productListItem)),
      'xdm:order': field.ref('Order', ids.storeWebOrder),
      'xdm:store': field.object('Store Details', {
        'xdm:storeID': field.string('Store ID'),
      }),
      'xdm:billing': field.object('Billing Details', {
        'xdm:address': field.ref('Billing Address', ids.address),
      }),
      'xdm:shipping': field.ref('Shipping', ids.shipping),
    }),
  },
  allOf: [definitionRef('experienceevent-order')],
});
