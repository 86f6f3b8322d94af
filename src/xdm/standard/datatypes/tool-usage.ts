import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Tool usage: counters for the steps of a site tool (calculator, form, booking...). */
export const toolUsage = dataType({
  id: ids.toolUsage,
  title: 'Tool Usage',
  description: 'Counts of starts, steps, saves, submits, completions and failures of a site tool.',
  status: 'experimental',
  extensible: true,
  definitions: {
    'tool-usage': definition({
      'xdm:cancelled': field.integer('Cancelled'),
      'xdm:complete': field.integer('Complete'),
      'xdm:failure': field.integer('Failed'),
      'xdm:ID': field.string('ID'),
      'xdm:name': field.string('Name'),
      'xdm:saved': field.integer('Saved'),
      'xdm:start': field.integer('Start'),
      'xdm:step': field.integer('Step'),
      'xdm:stepName': field.string('Step Name'),
      'xdm:submitted': field.integer('Submitted'),
      'xdm:transaction': field.ref('Transaction', ids.transaction),
      'xdm:type': field.string('Type'),
    }),
  },
  allOf: [definitionRef('tool-usage')],
});
