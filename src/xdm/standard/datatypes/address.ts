import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';
import { contactStatusLabels } from './contact-status-labels.js';

/** Postal address, which also carries coordinates, geo codes and an audit trail. */
export const address = dataType({
  id: ids.address,
  title: 'Postal address',
  description: 'A postal address, such as a home, work or store location.',
  status: 'stable',
  extends: [ids.geoCoordinates, ids.geo],
  definitions: {
    address: definition({
      'xdm:primary': field.boolean('Primary', { description: 'Whether this is the main address; at most one is.' }),
      'xdm:label': field.string('Label'),
      'xdm:street1': field.string('Street 1'),
      'xdm:street2': field.string('Street 2'),
      'xdm:street3': field.string('Street 3'),
      'xdm:street4': field.string('Street 4'),
      'xdm:region': field.string('Region'),
      'xdm:postOfficeBox': field.string('Post office box', { maxLength: 20 }),
      'xdm:country': field.string('Country', { description: 'Country name, free text in any language.' }),
      'xdm:state': field.string('State'),
      'xdm:status': field.string('Status', { default: 'active', labels: contactStatusLabels }),
      'xdm:statusReason': field.string('Status reason'),
      'xdm:lastVerifiedDate': field.date('Last verified date'),
    }),
  },
  allOf: [ids.geoCoordinates, ids.geo, ids.auditable, definitionRef('address')],
});
