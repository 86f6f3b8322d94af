/**
 * The whole generated library: every reference component converted, classified, checked for clashes, and laid
 * out as the files the server reads (one per component, plus an index it loads at start).
 */
import type { XedDocument } from '../../src/xdm/standard/xed-document.js';
import type { LibraryIndex, LibraryIndexEntry } from '../../src/xdm/standard/library-index.js';
import { resourceTypeOf } from './classify-component.js';
import { convertComponent } from './convert-component.js';
import type { SourceComponent } from './source-component.js';

export type GeneratedLibrary = {
  readonly index: LibraryIndex;
  /** File path below the library folder → document. */
  readonly files: ReadonlyMap<string, XedDocument>;
};

/** Alt ids become file names; anything outside this set would need escaping, so the generator refuses it. */
const SAFE_FILE_NAME = /^[A-Za-z0-9._-]+$/;

export function buildLibrary(components: readonly SourceComponent[], source: LibraryIndex['source']): GeneratedLibrary {
  const behaviorIds = new Set(components.filter((c) => c.file.startsWith('components/behaviors/')).map((c) => String(c.source.$id)));
  const files = new Map<string, XedDocument>();
  const entries: LibraryIndexEntry[] = [];
  const seen = new Map<string, string>();
  for (const component of components) {
    const type = resourceTypeOf(component.file, component.source, behaviorIds);
    const doc = convertComponent(component, type);
    const id = String(doc.$id);
    const altId = String(doc['meta:altId']);
    for (const key of [id, altId]) {
      const other = seen.get(key);
      if (other !== undefined) throw new Error(`${component.file}: ${key} is also the id of ${other}`);
      seen.set(key, component.file);
    }
    if (!SAFE_FILE_NAME.test(altId)) throw new Error(`${component.file}: meta:altId ${altId} is not a safe file name`);
    const file = `${type}/${altId}.json`;
    files.set(file, doc);
    entries.push({ $id: id, 'meta:altId': altId, 'meta:resourceType': type, title: String(doc.title), version: String(doc.version), file });
  }
  entries.sort((a, b) => a['meta:resourceType'].localeCompare(b['meta:resourceType']) || a['meta:altId'].localeCompare(b['meta:altId']));
  return { index: { source, components: entries }, files };
}
