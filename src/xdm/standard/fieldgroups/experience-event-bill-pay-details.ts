import { definition, fieldGroup } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Bill Pay Details: paying a biller, with the transaction, account and provider involved. */
export const experienceEventBillPayDetails = fieldGroup({
  id: ids.experienceEventBillPayDetails,
  title: 'Bill Pay Details',
  description: 'Adds bill payment details: transaction, source account, schedule and biller.',
  status: 'stable',
  extensible: true,
  abstract: true,
  tags: { industry: ['financial_services'] },
  intendedToExtend: [ids.experienceEvent],
  definitions: {
    'bill-pay-details': definition({
      'xdm:personalFinances': field.object(undefined, {
        'xdm:billPayDetails': field.object(undefined, {
          'xdm:steps': field.ref('Steps', ids.toolUsage, { deprecated: true }),
          'xdm:transaction': field.ref('Transaction', ids.transaction),
          'xdm:financialAccount': field.ref('Financial Account', ids.financialAccount),
          'xdm:scheduledTransactionDate': field.dateTime('Scheduled Transaction Date'),
          'xdm:serviceProvider': field.object(undefined, {
            'xdm:name': field.string('Service Provider Name'),
            'xdm:userAccountID': field.string('User Account ID'),
          }),
        }),
      }),
    }),
  },
  allOf: [definitionRef('bill-pay-details')],
});
