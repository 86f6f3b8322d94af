import { dataType } from '../component.js';
import { ids } from '../component-ids.js';

/**
 * Extensibility base schema. In source form it declares the JSON-LD `@context` (which
 * prefixes a document may use); XED names carry no prefixes, so in XED form nothing is left of it.
 * It is kept so that its `$id` still resolves.
 */
export const extensible = dataType({
  id: ids.extensible,
  title: 'Extensibility base schema',
  description: 'Base that source-form XDM components build on to declare their JSON-LD prefixes.',
  status: 'stable',
  definitions: {},
});
