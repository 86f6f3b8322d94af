import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Geo: coordinates plus the administrative and market areas of a place. */
export const geo = dataType({
  id: ids.geo,
  title: 'Geo',
  description: 'Where something was observed: coordinates, country, region, city and market areas.',
  status: 'stable',
  extensible: true,
  extends: [ids.geoCoordinates],
  definitions: {
    countrycode: definition({
      'xdm:countryCode': field.string('Country code', { pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code.' }),
    }),
    stateprovince: definition({
      'xdm:stateProvince': field.string('State or province', {
        pattern: '([A-Z]{2}-[A-Z0-9]{1,3}|)',
        description: 'ISO 3166-2 subdivision code.',
      }),
    }),
    city: definition({ 'xdm:city': field.string('City') }),
    postalcode: definition({ 'xdm:postalCode': field.string('Postal code') }),
    dmaid: definition({ 'xdm:dmaID': field.integer('Designated market area') }),
    msaid: definition({ 'xdm:msaID': field.integer('Metropolitan statistical area') }),
  },
  allOf: [
    ids.geoCoordinates,
    definitionRef('countrycode'),
    definitionRef('stateprovince'),
    definitionRef('city'),
    definitionRef('postalcode'),
    definitionRef('dmaid'),
    definitionRef('msaid'),
  ],
});
