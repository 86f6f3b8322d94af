import { definition, fieldGroup } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Personal Contact Details: postal addresses, email and phone numbers of a person. */
export const profilePersonalDetails = fieldGroup({
  id: ids.profilePersonalDetails,
  title: 'Personal Contact Details',
  description: 'Adds the ways to reach a person: postal addresses, email and phone numbers.',
  status: 'stable',
  extensible: true,
  abstract: true,
  tags: { industry: ['all'] },
  intendedToExtend: [ids.profile, ids.experienceEvent],
  definitions: {
    'profile-personal-details': definition({
      'xdm:homeAddress': field.ref('Home Address', ids.address),
      'xdm:personalEmail': field.ref('Personal Email', ids.emailAddress),
      'xdm:homePhone': field.ref('Home Phone', ids.phoneNumber),
      'xdm:mobilePhone': field.ref('Mobile Phone', ids.phoneNumber),
      'xdm:faxPhone': field.ref('Fax Phone', ids.phoneNumber),
      'xdm:shippingAddressPhone': field.ref('Shipping Address Phone', ids.phoneNumber),
      'xdm:billingAddressPhone': field.ref('Billing Address Phone', ids.phoneNumber),
      'xdm:shippingAddress': field.ref('Shipping Address', ids.address),
      'xdm:billingAddress': field.ref('Billing Address', ids.address),
      'xdm:mailingAddress': field.ref('Mailing Address', ids.address),
    }),
  },
  allOf: [definitionRef('profile-personal-details')],
});
