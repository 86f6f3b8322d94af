import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

export const financialAccount = dataType({
  id: ids.financialAccount,
  title: 'Financial Account',
  description: 'A financial account: name, type and current balance.',
  status: 'stable',
  extensible: true,
  definitions: {
    'financial-account': definition({
      'xdm:currentAccountBalance': field.ref('Current Financial Account Balance', ids.currency),
      'xdm:financialAccountID': field.string('Financial Account ID', { deprecated: true }),
      'xdm:financialAccountName': field.string('Financial Account Name'),
      'xdm:financialAccountType': field.string('Financial Account Type', {
        enum: ['checking', 'savings', 'retirement', 'investment'],
        labels: { checking: 'Checking', savings: 'Savings', retirement: 'Retirement', investment: 'Investment' },
      }),
    }),
  },
  allOf: [definitionRef('financial-account')],
});
