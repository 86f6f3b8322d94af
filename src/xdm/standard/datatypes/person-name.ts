import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

export const personName = dataType({
  id: ids.personName,
  title: 'Person name',
  description: 'The parts of a person name, and the full name as written.',
  status: 'stable',
  extensible: true,
  definitions: {
    personname: definition({
      'xdm:firstName': field.string('First name'),
      'xdm:lastName': field.string('Last name'),
      'xdm:middleName': field.string('Middle name'),
      'xdm:courtesyTitle': field.string('Courtesy title', { description: 'Such as Mr., Ms. or Dr.' }),
      'xdm:suffix': field.string('Suffix', { description: 'Such as Jr. or PhD.' }),
      'xdm:fullName': field.string('Full name', { description: 'Preferred over the separate parts when known.' }),
    }),
  },
  allOf: [definitionRef('personname')],
});
