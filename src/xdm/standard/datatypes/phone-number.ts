import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

export const phoneNumber = dataType({
  id: ids.phoneNumber,
  title: 'Phone number',
  description: 'A phone number as written, with country calling code, extension and status.',
  status: 'stable',
  extensible: true,
  definitions: {
    phonenumber: definition({
      'xdm:primary': field.boolean('Primary', { description: 'Main number for its channel; one per channel.' }),
      'xdm:countryCode': field.string('Country Calling Code', {
        minLength: 1,
        maxLength: 3,
        pattern: '^[0-9]{1,3}?$',
        description: 'E.164 country calling code.',
      }),
      'xdm:number': field.string('Number'),
      'xdm:extension': field.string('Extension'),
      'xdm:status': field.string('Status', {
        default: 'active',
        labels: { active: 'Active', incomplete: 'Incomplete', blacklisted: 'Blacklisted', blocked: 'Blocked' },
      }),
      'xdm:statusReason': field.string('Status reason'),
      'xdm:validity': field.string('Validity', {
        labels: {
          consistent: 'Consistent',
          inconsistent: 'Inconsistent',
          incomplete: 'Incomplete',
          successfullyUsed: 'Successfully used',
        },
      }),
    }),
  },
  allOf: [definitionRef('phonenumber')],
});
