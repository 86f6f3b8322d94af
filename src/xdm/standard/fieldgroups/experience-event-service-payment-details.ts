import { definition, fieldGroup } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Service Payment Details: payments outside a shopping transaction, such as paying a bill. */
export const experienceEventServicePaymentDetails = fieldGroup({
  id: ids.experienceEventServicePaymentDetails,
  title: 'Service Payment Details',
  description: 'Adds a service payment: a bill or recurring payment rather than a purchase.',
  status: 'stable',
  extensible: true,
  abstract: true,
  tags: { industry: ['financial_services', 'telecom'] },
  intendedToExtend: [ids.experienceEvent],
  definitions: {
    'service-payment-details': definition({
      'xdm:service-payment-details': field.object(undefined, {
        'xdm:servicePayment': field.ref('Service Payment', ids.transaction),
      }),
    }),
  },
  allOf: [definitionRef('service-payment-details')],
});
