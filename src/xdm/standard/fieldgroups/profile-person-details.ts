import { definition, fieldGroup } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Demographic Details: the `person` object (name, birth date, gender...). */
export const profilePersonDetails = fieldGroup({
  id: ids.profilePersonDetails,
  title: 'Demographic Details',
  description: 'Adds the person object: name, birth date, gender and similar demographics.',
  status: 'stable',
  extensible: true,
  abstract: true,
  tags: { industry: ['all'] },
  intendedToExtend: [ids.profile, ids.experienceEvent],
  definitions: {
    'profile-person-details': definition({
      'xdm:person': field.ref('Person', ids.person),
    }),
  },
  allOf: [definitionRef('profile-person-details')],
});
