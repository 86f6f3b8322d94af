import { definition, fieldGroup } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** IdentityMap: identities keyed by namespace, each namespace holding a list. */
export const identityMap = fieldGroup({
  id: ids.identityMap,
  title: 'IdentityMap',
  description: 'Map from identity namespace code to the identities of the individual in that namespace.',
  status: 'stable',
  extensible: true,
  tags: { industry: ['all'] },
  // Empty: usable with any class.
  intendedToExtend: [],
  definitions: {
    identitymap: definition({
      'xdm:identityMap': field.map(undefined, field.array(undefined, field.ref(undefined, ids.identityItem)), {
        description: 'Identities of the individual, grouped by namespace code.',
      }),
    }),
  },
  allOf: [definitionRef('identitymap')],
});
