import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Identity: an identity item together with the namespace it belongs to. */
export const identity = dataType({
  id: ids.identity,
  title: 'Identity',
  description: 'An identity of an individual together with the namespace that issued it.',
  status: 'stable',
  extensible: true,
  extends: [ids.identityItem],
  definitions: {
    identity: definition({
      'xdm:namespace': field.ref('Namespace', ids.identityNamespace),
      'xdm:xid': field.string('Experience identifier', { description: 'Identifier unique across all namespaces.' }),
    }),
  },
  allOf: [definitionRef('identityitem', ids.identityItem), definitionRef('identity')],
});
