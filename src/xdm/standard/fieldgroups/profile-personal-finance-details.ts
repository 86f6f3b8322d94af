import { definition, fieldGroup } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Personal Finance Details: accounts, beneficiaries, credit scores, employment. */
export const profilePersonalFinanceDetails = fieldGroup({
  id: ids.profilePersonalFinanceDetails,
  title: 'Personal Finance Details',
  description: 'Adds a personalFinances object: cards, beneficiaries, credit scores, employment status.',
  status: 'stable',
  extensible: true,
  abstract: true,
  tags: { industry: ['financial_services'] },
  intendedToExtend: [ids.profile],
  definitions: {
    'personal-finance-details': definition({
      'xdm:personalFinances': field.object(undefined, {
        'xdm:accountCardsTotal': field.integer('Account Cards Total'),
        'xdm:assignedBeneficiary': field.array('Assigned Beneficiaries', field.ref(undefined, ids.profilePersonDetails)),
        'xdm:creditScores': field.array(
          undefined,
          field.object(undefined, {
            'xdm:score': field.integer('Score'),
            'xdm:provider': field.string('Credit Bureau', {
              labels: { experian: 'Experian', equifax: 'Equifax', transunion: 'TransUnion' },
            }),
            'xdm:scoreDate': field.dateTime('Score Date'),
          }),
        ),
        'xdm:employmentStatus': field.string('Employment Status', {
          labels: {
            fullTime: 'Full Time',
            partTime: 'Part Time',
            temporary: 'Temporary',
            selfEmployed: 'Self-Employed',
            retired: 'Retired',
            unemployed: 'Unemployed',
          },
        }),
        'xdm:ID': field.array('ID', field.string(), { deprecated: true }),
        'xdm:hasAssignedBeneficiary': field.boolean('Has Assigned Beneficiary'),
      }),
    }),
  },
  allOf: [definitionRef('personal-finance-details')],
});
