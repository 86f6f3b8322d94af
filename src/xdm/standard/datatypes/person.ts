import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

export const person = dataType({
  id: ids.person,
  title: 'Person',
  description: 'One individual, whatever role they play: name, birth, gender, nationality.',
  status: 'stable',
  extensible: true,
  definitions: {
    person: definition({
      'xdm:name': field.ref('Full name', ids.personName),
      'xdm:birthDate': field.date('Birth date(YYYY-MM-DD)'),
      'xdm:birthDayAndMonth': field.string('Birth date (MM-DD)', { pattern: '[0-1][0-9]-[0-9][0-9]' }),
      // The range makes this a `short` in XDM storage terms.
      'xdm:birthYear': field.integer('Birth year', { minimum: 1, maximum: 32767 }),
      'xdm:gender': field.string('Gender', {
        enum: ['male', 'female', 'not_specified', 'non_specific'],
        labels: { male: 'Male', female: 'Female', not_specified: 'Not Specified', non_specific: 'Non-specific' },
        default: 'not_specified',
      }),
      'xdm:maritalStatus': field.string('Marital Status', {
        enum: ['married', 'single', 'divorced', 'widowed', 'not_specified'],
        labels: {
          married: 'Married',
          single: 'Single',
          divorced: 'Divorced',
          widowed: 'Widowed',
          not_specified: 'Not Specified',
        },
        default: 'not_specified',
      }),
      'xdm:nationality': field.string('Nationality', { pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code.' }),
      'xdm:type': field.string('Type'),
      'xdm:taxId': field.string('Tax ID', { deprecated: true }),
    }),
  },
  allOf: [definitionRef('person')],
});
