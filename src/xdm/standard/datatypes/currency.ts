import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';
import { currencyCodeField } from './currency-code-field.js';

export const currency = dataType({
  id: ids.currency,
  title: 'Currency',
  description: 'An amount of money with its ISO 4217 currency code.',
  status: 'stable',
  extensible: true,
  definitions: {
    currency: definition({
      'xdm:amount': field.number('Amount'),
      'xdm:currencyCode': currencyCodeField('Currency Code'),
      'xdm:conversionDate': field.dateTime('Conversion Date'),
    }),
  },
  allOf: [definitionRef('currency')],
});
