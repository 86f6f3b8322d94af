import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';
import { currencyCodeField } from './currency-code-field.js';

/** Product list item: a product as chosen by one customer, at the price offered then. */
export const productListItem = dataType({
  id: ids.productListItem,
  title: 'Product list item',
  description: 'A product as selected by a customer, with the options, quantity and price of that moment.',
  status: 'stable',
  definitions: {
    productlistitem: definition(
      {
        'xdm:SKU': field.string('SKU'),
        '@id': field.string('Line item ID.', { format: 'uri-reference' }),
        'xdm:product': field.string('Product', { format: 'uri' }),
        'xdm:name': field.string('Name'),
        'xdm:productImageUrl': field.string('Product Image URL'),
        'xdm:productAddMethod': field.string('Product add method'),
        'xdm:currencyCode': currencyCodeField('Currency code'),
        'xdm:quantity': field.integer('Quantity'),
        'xdm:priceTotal': field.number('Price total'),
        'xdm:selectedOptions': field.array('Selected Options', field.ref(undefined, definitionRef('selectedOption'))),
        'xdm:discountAmount': field.number('Discount Amount'),
        'xdm:refundAmount': field.number('Refund Amount'),
        'xdm:productCategories': field.array('Product categories', field.ref(undefined, ids.categoryData)),
        'xdm:returnItem': field.ref('Return Item', ids.returnItem),
      },
      { required: ['xdm:SKU'] },
    ),
    selectedOption: definition(
      {
        'xdm:attribute': field.string('Configurable attribute name'),
        'xdm:value': field.string('Selected option value'),
      },
      {
        title: 'Selected option',
        description: 'The value picked for one option of a configurable product.',
        required: ['xdm:attribute', 'xdm:value'],
      },
    ),
  },
  allOf: [definitionRef('productlistitem'), definitionRef('uomcode', ids.productMeasurement)],
});
