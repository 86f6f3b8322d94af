import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

export const commerceScope = dataType({
  id: ids.commerceScope,
  title: 'Commerce Scope',
  description: 'Where in a commerce setup an event happened: environment, website, store, store view.',
  status: 'stable',
  extensible: true,
  definitions: {
    'commerce-scope': definition({
      'xdm:environmentID': field.string('Environment ID'),
      'xdm:websiteCode': field.string('Website Code'),
      'xdm:storeCode': field.string('Store Code'),
      'xdm:storeViewCode': field.string('Store View Code'),
    }),
  },
  allOf: [definitionRef('commerce-scope')],
});
