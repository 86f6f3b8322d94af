import { definition, xdmClass } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** XDM Individual Profile: the record class for attributes of one person. */
export const profile = xdmClass({
  id: ids.profile,
  title: 'XDM Individual Profile',
  description: 'Record class holding what is known about one individual, identified or anonymous.',
  status: 'stable',
  extensible: true,
  abstract: true,
  tags: { industry: ['all'] },
  extends: [ids.record, ids.auditable],
  definitions: {
    profile: definition({
      'xdm:personID': field.string('Person ID', { description: 'Identifies the person or profile fragment.' }),
    }),
  },
  allOf: [ids.auditable, ids.record, definitionRef('profile')],
});
