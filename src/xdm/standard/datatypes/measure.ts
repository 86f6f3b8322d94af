import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Measure: a counted occurrence, sent as an id (for de-duplication) and a value. */
export const measure = dataType({
  id: ids.measure,
  title: 'Measure',
  description: 'A tracked quantity: a value, with an optional id to de-duplicate resends.',
  status: 'stable',
  extensible: false,
  definitions: {
    measure: definition({
      'xdm:id': field.string('Unique Identifier', { description: 'Client-made id of this measure, so resends count once.' }),
      'xdm:value': field.number(),
    }),
  },
  allOf: [definitionRef('measure')],
  required: ['xdm:value'],
});
