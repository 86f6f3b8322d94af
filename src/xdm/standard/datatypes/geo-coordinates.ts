import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** schema.org GeoCoordinates; its fields live in the `_schema` namespace in XED form. */
export const geoCoordinates = dataType({
  id: ids.geoCoordinates,
  title: 'Geo Coordinates',
  description: 'A point on Earth as latitude, longitude and elevation, after schema.org.',
  status: 'stable',
  extensible: true,
  definitions: {
    coordinatesid: definition({
      '@id': field.string('Coordinates ID', { format: 'uri-reference' }),
    }),
    description: definition({
      'schema:description': field.string('Description'),
    }),
    latitude: definition({
      'schema:latitude': field.number('Latitude', { minimum: -90, maximum: 90 }),
    }),
    longitude: definition({
      'schema:longitude': field.number('Longitude', { minimum: -180, maximum: 180 }),
    }),
    elevation: definition({
      'schema:elevation': field.number('Elevation', { description: 'Meters, WGS84 datum.' }),
    }),
  },
  allOf: [
    definitionRef('coordinatesid'),
    definitionRef('description'),
    definitionRef('latitude'),
    definitionRef('longitude'),
    definitionRef('elevation'),
  ],
});
