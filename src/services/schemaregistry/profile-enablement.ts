/**
 * What a schema needs before it joins its class's union (is enabled for Profile): a primary identity, given by an
 * identity descriptor marked primary or by the `identityMap` field, so that Profile can tell whose data a row is.
 */
import { ApiError } from '../../server/errors/api-error.js';
import { isObject } from '../../xdm/component-lookup.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';

export function checkProfileEnablement(schemaId: string, full: JsonObject, descriptors: JsonObject[]): void {
  const primaryDescriptor = descriptors.some((d) => d['@type'] === 'xdm:descriptorIdentity' && d['xdm:sourceSchema'] === schemaId && d['xdm:isPrimary'] === true);
  const identityMap = isObject(full.properties) && isObject(full.properties.identityMap);
  if (primaryDescriptor || identityMap) return;
  throw new ApiError('validation', `Schema ${schemaId} cannot be enabled for Profile (the "union" tag) without a primary identity: add an identity descriptor with "xdm:isPrimary": true, or the identityMap field group, first.`, {
    problems: [{ in: 'body', path: '/meta:immutableTags', message: 'needs a primary identity first' }],
  });
}
