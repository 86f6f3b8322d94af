import { dataType, definition } from '../component.js';
import { ids } from '../component-ids.js';
import { field } from '../field.js';

/** Maintained by the repository; users do not edit these values. */
const system = { userEditable: false } as const;
/** Set once by the repository when the resource is created. */
const permanent = { userEditable: false, immutable: true } as const;

/**
 * Adobe Cloud repository properties (`repo:` namespace, `_repo` in XED form). It has no `allOf`:
 * components pick single definitions, as the audit trail does with `date-properties`.
 */
export const repositoryCommonProperties = dataType({
  id: ids.repositoryCommonProperties,
  title: 'Common Properties',
  description: 'Properties a storage repository keeps about each resource: ids, dates, actors, access.',
  status: 'stable',
  definitions: {
    'common-properties': definition({
      'repo:name': field.string('Name'),
      'repo:path': field.string('Path'),
      'repo:id': field.string(permanent),
      'repo:assetId': field.string(permanent),
      'repo:assetClass': field.string(system),
      'repo:repositoryId': field.string(permanent),
      'repo:repositoryType': field.string(system),
      'repo:etag': field.string(system),
      'repo:size': field.integer({ ...system, description: 'Size in bytes.' }),
      'repo:version': field.string(system),
      'repo:state': field.string(system),
      'repo:md5': field.string(system),
      'repo:resource': field.object(
        undefined,
        {
          'repo:reltype': field.string(),
          component_id: field.string(),
          revision: field.string(),
          etag: field.string(),
        },
        system,
      ),
      'dc:format': field.string('Format', { ...system, pattern: '\\w+\\/[-.\\w]+(?:\\+[-.\\w]+)?' }),
    }),
    'date-properties': definition({
      'repo:createDate': field.dateTime(permanent),
      'repo:modifyDate': field.dateTime(system),
      'repo:discardDate': field.dateTime(system),
      'repo:expires': field.dateTime(system),
      'repo:lastPublishedTime': field.string(system),
    }),
    'actor-properties': definition({
      'repo:createdBy': field.string(system),
      'repo:modifiedBy': field.string(system),
      'repo:discardedBy': field.string(system),
    }),
    'hierarchy-properties': definition({
      'repo:ancestors': field.array(undefined, field.string(), system),
    }),
    'accesscontrol-properties': definition({
      'repo:owner': field.map(undefined, field.string(), system),
      'repo:acl': field.array(
        undefined,
        field.object(undefined, {
          // XDM allows a plain string here too; XED fields have one type, so the object form,
          // which can say everything the string says (in `_id`), is the one kept.
          'repo:principal': field.object(undefined, {
            '@id': field.string(),
            'xdm:provider': field.string(),
            '@type': field.string(),
          }),
          'repo:privileges': field.array(undefined, field.string()),
          'repo:relations': field.array(undefined, field.string()),
          'repo:modifier': field.string({ enum: ['GRANT', 'DENY'] }),
          'repo:inheritance': field.string(),
        }),
        system,
      ),
    }),
    'transfer-properties': definition({
      'repo:blocksize': field.integer(system),
      'repo:accelerated': field.boolean(system),
      'repo:availableRegions': field.array(undefined, field.string(), system),
      'repo:environment': field.string(system),
    }),
    'dynamicmedia-properties': definition({
      'repo:scene7Domain': field.string(system),
      'repo:scene7File': field.string(system),
      'repo:scene7FileStatus': field.string(system),
      'repo:scene7Folder': field.string(system),
      'repo:scene7FontStyle': field.string(system),
      'repo:scene7FontType': field.string(system),
      'repo:scene7LastModified': field.string(system),
      'repo:scene7Name': field.string(system),
      'repo:scene7RTFName': field.string(system),
      'repo:scene7Type': field.string(system),
    }),
  },
});
