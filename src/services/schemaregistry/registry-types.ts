/** The registry's resource types, by the path segment clients use. `mixins` is the legacy name of field groups. */
export interface RegistryType {
  /** Storage kind. */
  kind: string;
  /** `meta:resourceType` and the segment in tenant `$id`s. */
  resourceType: 'schemas' | 'classes' | 'mixins' | 'datatypes' | 'behaviors' | 'unions';
  tenantWritable: boolean;
}

/** The kind schemas are stored under. */
export const schemaKind = 'xdm.schemas';

export const registryTypes: Record<string, RegistryType> = {
  schemas: { kind: schemaKind, resourceType: 'schemas', tenantWritable: true },
  classes: { kind: 'xdm.classes', resourceType: 'classes', tenantWritable: true },
  fieldgroups: { kind: 'xdm.mixins', resourceType: 'mixins', tenantWritable: true },
  mixins: { kind: 'xdm.mixins', resourceType: 'mixins', tenantWritable: true },
  datatypes: { kind: 'xdm.datatypes', resourceType: 'datatypes', tenantWritable: true },
  behaviors: { kind: 'xdm.behaviors', resourceType: 'behaviors', tenantWritable: false },
  /** Derived from the schemas enabled for Profile; never stored. */
  unions: { kind: 'xdm.unions', resourceType: 'unions', tenantWritable: false },
};

/** The kinds tenant components are stored under, and the kind of descriptors (the store indexes them all). */
export { registryComponentKinds as tenantKinds, registryDescriptorKind as descriptorKind } from '../../store/registry-index.js';

/** The XDM release the standard library comes from, as the registry reports it in `meta:globalLibVersion`. */
export const globalLibVersion = '1.31.4';
