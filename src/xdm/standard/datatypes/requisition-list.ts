import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

export const requisitionList = dataType({
  id: ids.requisitionList,
  title: 'Requisition List',
  description: 'A saved list of products a business buyer orders repeatedly.',
  status: 'stable',
  definitions: {
    requisitionList: definition({
      'xdm:ID': field.string('Requisition List ID'),
      'xdm:name': field.string('Requisition List Name'),
      'xdm:description': field.string('Requisition List Description'),
    }),
  },
  allOf: [definitionRef('requisitionList')],
});
