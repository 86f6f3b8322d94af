import { definition, xdmClass } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** XDM ExperienceEvent: the time-series class for things that happened to an individual. */
export const experienceEvent = xdmClass({
  id: ids.experienceEvent,
  title: 'XDM ExperienceEvent',
  description: 'Time-series class recording one event, when it happened and who was involved.',
  status: 'stable',
  extensible: true,
  abstract: true,
  tags: { industry: ['all'] },
  extends: [ids.timeSeries, ids.identityMap],
  definitions: {
    experienceevent: definition({
      'xdm:eventMergeId': field.string('ExperienceEvent merge ID', {
        description: 'Shared by events that are really one event and should be merged.',
      }),
      'xdm:producedBy': field.string('Produced By', {
        description: 'Who produced the event.',
        default: 'self',
        labels: {
          self: 'Self',
          system: 'System',
          salesRef: 'Sales Representative',
          customerRep: 'Customer Representative',
        },
      }),
    }),
  },
  // Both come from the time-series behavior; the class is what makes them mandatory.
  required: ['@id', 'xdm:timestamp'],
  allOf: [ids.identityMap, ids.timeSeries, definitionRef('experienceevent')],
});
