import { definition, fieldGroup } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/**
 * Product Measurement: size and unit of measure. Meant for the XDM product class, which this
 * library does not ship; its `uomcode` definition is reused by the product list item data type.
 */
export const productMeasurement = fieldGroup({
  id: ids.productMeasurement,
  title: 'Product Measurement',
  description: 'Adds product size and unit of measure.',
  status: 'stable',
  extensible: true,
  abstract: true,
  intendedToExtend: ['https://ns.adobe.com/xdm/classes/product'],
  definitions: {
    'product-measurement': definition({
      'xdm:productSize': field.string('Product Size'),
      'xdm:unitOfMeasureName': field.string('Product Unit Of Measure Name'),
    }),
    uomcode: definition({
      'xdm:unitOfMeasureCode': field.string('Product Unit Of Measure Code'),
    }),
  },
  allOf: [definitionRef('product-measurement'), definitionRef('uomcode')],
});
