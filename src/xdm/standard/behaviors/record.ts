import { behavior, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Record behavior: data that describes the current state of a subject. */
export const record = behavior({
  id: ids.record,
  title: 'Record Schema',
  description: 'Behavior for schemas whose data describes the current attributes of a subject.',
  status: 'stable',
  extensible: true,
  abstract: true,
  definitions: {
    record: definition({
      '@id': field.string('Identifier', { format: 'uri-reference', description: 'Identifies this record.' }),
    }),
  },
  allOf: [definitionRef('record')],
});
