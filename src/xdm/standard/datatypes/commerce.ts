import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Commerce: the order and the shopping measures (views, cart changes, checkouts...) of an event. */
export const commerce = dataType({
  id: ids.commerce,
  title: 'Commerce',
  description: 'Buying and selling activity: the order, cart, shipping, billing and commerce measures.',
  status: 'stable',
  extensible: true,
  definitions: {
    commerce: definition({
      'xdm:order': field.ref('Order', ids.order),
      'xdm:promotionID': field.string('Promotion ID'),
      'xdm:cartAbandons': field.ref('Cart Abandons', ids.measure),
      'xdm:checkouts': field.ref('Checkouts', ids.measure),
      'xdm:productListAdds': field.ref('Product List (Cart) Adds', ids.measure),
      'xdm:productListOpens': field.ref('Product List (Cart) Opens', ids.measure),
      'xdm:productListRemovals': field.ref('Product List (Cart) Removals', ids.measure),
      'xdm:productListReopens': field.ref('Product List (Cart) Reopens', ids.measure),
      'xdm:productListViews': field.ref('Product List (Cart) Views', ids.measure),
      'xdm:productViews': field.ref('Product Views', ids.measure),
      'xdm:purchases': field.ref('Purchases', ids.measure),
      'xdm:saveForLaters': field.ref('Save For Laters', ids.measure),
      'xdm:inStorePurchase': field.ref('In Store Purchase', ids.measure),
      'xdm:cart': field.ref(undefined, ids.cart),
      'xdm:shipping': field.ref(undefined, ids.shipping),
      'xdm:billing': field.ref(undefined, ids.billing),
      'xdm:instantPurchase': field.ref(undefined, ids.measure),
      'xdm:requisitionListOpens': field.ref('Requisition List Opens', ids.measure),
      'xdm:requisitionListDeletes': field.ref('Requisition List Deletes', ids.measure),
      'xdm:requisitionListAdds': field.ref('Requisition List Adds', ids.measure),
      'xdm:requisitionListRemovals': field.ref('Requisition List Removals', ids.measure),
      'xdm:requisitionList': field.ref('Requisition List', ids.requisitionList),
      'xdm:commerceScope': field.ref('Scope', ids.commerceScope),
    }),
  },
  allOf: [definitionRef('commerce')],
});
