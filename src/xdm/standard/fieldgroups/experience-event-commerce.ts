import { definition, fieldGroup } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Commerce Details: the products in play and the commerce measures of an event. */
export const experienceEventCommerce = fieldGroup({
  id: ids.experienceEventCommerce,
  title: 'Commerce Details',
  description: 'Adds product list items and commerce measures such as cart adds, checkouts and purchases.',
  status: 'stable',
  extensible: true,
  abstract: true,
  tags: { industry: ['all'] },
  intendedToExtend: [ids.experienceEvent],
  definitions: {
    'experienceevent-commerce': definition({
      'xdm:productListItems': field.array('Product list items', field.ref(undefined, ids.productListItem)),
      'xdm:commerce': field.ref('Commerce', ids.commerce),
    }),
  },
  allOf: [definitionRef('experienceevent-commerce')],
});
