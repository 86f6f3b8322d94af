import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

export const cart = dataType({
  id: ids.cart,
  title: 'Cart',
  description: 'A shopping cart: its identifier and where its products came from.',
  status: 'stable',
  definitions: {
    cart: definition({
      'xdm:cartID': field.string('Cart ID'),
      'xdm:cartSource': field.string('Cart Source'),
    }),
  },
  allOf: [definitionRef('cart')],
});
