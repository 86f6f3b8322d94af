import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Audit trail: who and which batch created or last changed a record, and when. */
export const auditable = dataType({
  id: ids.auditable,
  title: 'Audit trail',
  description: 'Who and which batch created or last modified a record, plus repository dates.',
  status: 'stable',
  abstract: true,
  definitions: {
    auditlog: definition({
      'xdm:repositoryCreatedBy': field.string('Created by user identifier'),
      'xdm:repositoryLastModifiedBy': field.string('Modified by user identifier'),
      'xdm:createdByBatchID': field.string('Created by batch identifier', { format: 'uri-reference' }),
      'xdm:modifiedByBatchID': field.string('Modified by batch identifier', { format: 'uri-reference' }),
    }),
  },
  allOf: [definitionRef('auditlog'), definitionRef('date-properties', ids.repositoryCommonProperties)],
});
