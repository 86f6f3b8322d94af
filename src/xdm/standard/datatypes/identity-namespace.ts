import { dataType, definition } from '../component.js';
import { definitionRef, ids } from '../component-ids.js';
import { field } from '../field.js';

/** Namespace: the identity namespace an identity was issued in, by code. */
export const identityNamespace = dataType({
  id: ids.identityNamespace,
  title: 'Namespace',
  description: 'An identity namespace, named by its code.',
  status: 'stable',
  extensible: true,
  definitions: {
    namespace: definition(
      { 'xdm:code': field.string('Code', { description: 'Readable namespace code, such as ECID or Email.' }) },
      { required: ['xdm:code'] },
    ),
  },
  allOf: [definitionRef('namespace')],
});
