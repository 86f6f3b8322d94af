import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Identity item: one identity of an individual, as listed in an identity map. */
export const identityItem = dataType({
  id: ids.identityItem,
  title: 'Identity item',
  description: 'One identity of an individual within a namespace, as listed in an identity map.',
  status: 'stable',
  extensible: true,
  definitions: {
    identityitem: definition({
      'xdm:id': field.string('Identifier', { description: 'The identity value within its namespace.' }),
      'xdm:authenticatedState': field.string({
        default: 'ambiguous',
        enum: ['ambiguous', 'authenticated', 'loggedOut'],
        labels: { ambiguous: 'Ambiguous', authenticated: 'Authenticated', loggedOut: 'Logged out' },
        description: 'Whether the individual was logged in when the event was observed.',
      }),
      'xdm:primary': field.boolean('Primary', {
        default: false,
        description: 'Marks the identity to prefer when several identify the individual.',
      }),
    }),
  },
  allOf: [definitionRef('identityitem')],
});
