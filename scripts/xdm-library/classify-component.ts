/**
 * Which registry resource type a standard component is. adobe/xdm keeps most components in a folder named
 * for their kind (`classes`, `fieldgroups`, `datatypes`, `behaviors`); the vendor extensions mostly do not, so
 * for them the kind follows from what the component declares, as the registry itself distinguishes them: a
 * class builds on a behavior, a field group names the classes it is meant for, anything else is a data type.
 */
import type { JsonObject } from '../../src/xdm/standard/json-value.js';

export type StandardResourceType = 'classes' | 'mixins' | 'datatypes' | 'behaviors';

const folderTypes: Readonly<Record<string, StandardResourceType>> = {
  classes: 'classes',
  fieldgroups: 'mixins',
  datatypes: 'datatypes',
  behaviors: 'behaviors',
};

export function resourceTypeOf(file: string, source: JsonObject, behaviorIds: ReadonlySet<string>): StandardResourceType {
  const folders = file.split('/').slice(0, -1).reverse();
  for (const folder of folders) {
    const type = folderTypes[folder];
    if (type !== undefined) return type;
  }
  const extendsIds = Array.isArray(source['meta:extends']) ? source['meta:extends'] : [];
  if (extendsIds.some((id) => typeof id === 'string' && behaviorIds.has(id))) return 'classes';
  if (source['meta:intendedToExtend'] !== undefined) return 'mixins';
  return 'datatypes';
}
