import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

export const categoryData = dataType({
  id: ids.categoryData,
  title: 'Category data',
  description: 'A product category: identifier, name and path in the catalog tree.',
  status: 'stable',
  extensible: true,
  definitions: {
    categorydata: definition({
      'xdm:categoryID': field.string('Category identifier.'),
      'xdm:categoryName': field.string('Category name'),
      'xdm:categoryPath': field.string('Category path'),
    }),
  },
  allOf: [definitionRef('categorydata')],
});
