import { behavior, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';
import { eventTypeLabels } from './event-type-labels.js';

/** Time-series behavior: immutable observations, each at a point in time. */
export const timeSeries = behavior({
  id: ids.timeSeries,
  title: 'Time-series Schema',
  description: 'Behavior for schemas whose data are timestamped observations of events.',
  status: 'stable',
  extensible: true,
  abstract: true,
  definitions: {
    'time-series': definition({
      '@id': field.string('Identifier', { format: 'uri-reference', description: 'Identifies this event.' }),
      'xdm:timestamp': field.dateTime('Timestamp', { description: 'When the event happened.' }),
      'xdm:eventType': field.string('Event Type', {
        description: 'What kind of event this is; other values are allowed.',
        labels: eventTypeLabels,
      }),
    }),
  },
  allOf: [definitionRef('time-series')],
});
