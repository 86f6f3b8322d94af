import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';
import { contactStatusLabels } from './contact-status-labels.js';

export const emailAddress = dataType({
  id: ids.emailAddress,
  title: 'Email address',
  description: 'An email address with its type, usability status and display label.',
  status: 'stable',
  extensible: true,
  definitions: {
    emailaddress: definition({
      'xdm:primary': field.boolean('Primary', { description: 'Whether this is the main address; at most one is.' }),
      'xdm:address': field.string('Address', { format: 'email' }),
      'xdm:label': field.string('Label'),
      'xdm:type': field.string('Type', {
        labels: { unknown: 'Unknown', personal: 'Personal', work: 'Work', education: 'Education' },
      }),
      'xdm:status': field.string('Status', { default: 'active', labels: contactStatusLabels }),
      'xdm:statusReason': field.string('Status reason'),
    }),
  },
  allOf: [definitionRef('emailaddress')],
});
