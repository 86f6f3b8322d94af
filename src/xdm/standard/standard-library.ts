/**
 * The standard XDM components the Schema Registry serves from its `global` container, in XED form.
 *
 * They are generated from the XDM standard (github.com/adobe/xdm, CC BY 4.0) by `npm run generate:xdm` into
 * xdm-library/ at the root of the repository: names, types, constraints and titles follow the standard; the
 * descriptions are not copied. The index (ids, alt ids, types, titles) is read on first use; each component's
 * document is read when it is first asked for, so a server that never resolves, say, the Analytics field groups
 * never holds them in memory.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JsonValue } from './json-value.js';
import type { LibraryIndex, LibraryIndexEntry } from './library-index.js';
import type { XedDocument } from './xed-document.js';

export type { XedDocument } from './xed-document.js';
export type { JsonValue } from './json-value.js';
export type { LibraryIndexEntry } from './library-index.js';

/**
 * xdm-library/ at the root of the package, found upwards from this module: it sits three levels down in src/ and
 * dist/, four in dist-bench/src/ (the benchmarks' build).
 */
function findLibraryDir(): URL {
  let dir = new URL('./', import.meta.url);
  for (let level = 0; level < 6; level += 1) {
    const candidate = new URL('xdm-library/', dir);
    if (fs.existsSync(new URL('index.json', candidate))) return candidate;
    dir = new URL('../', dir);
  }
  throw new Error(`xdm-library/index.json not found above ${fileURLToPath(new URL('./', import.meta.url))}; reinstall the package or run npm run generate:xdm`);
}

/** Shared by every request: frozen, so a caller that edits one in place fails loudly instead of corrupting it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

type Loaded = {
  readonly dir: URL;
  readonly index: LibraryIndex;
  readonly byIdOrAltId: ReadonlyMap<string, LibraryIndexEntry>;
  readonly documents: Map<string, XedDocument>;
};

let loaded: Loaded | undefined;

/** The library is data shipped with the code, like a constant table: read once, then only read from. */
function library(): Loaded {
  if (loaded !== undefined) return loaded;
  const dir = findLibraryDir();
  const index = JSON.parse(fs.readFileSync(new URL('index.json', dir), 'utf8')) as LibraryIndex;
  const byIdOrAltId = new Map<string, LibraryIndexEntry>();
  for (const entry of index.components) {
    for (const key of [entry.$id, entry['meta:altId']]) {
      if (byIdOrAltId.has(key)) throw new Error(`xdm-library/index.json: duplicate component ${key}`);
      byIdOrAltId.set(key, entry);
    }
  }
  loaded = { index, byIdOrAltId, documents: new Map(), dir };
  return loaded;
}

function documentOf(entry: LibraryIndexEntry): XedDocument {
  const { documents, dir } = library();
  let doc = documents.get(entry.$id);
  if (doc === undefined) {
    const parsed = JSON.parse(fs.readFileSync(new URL(entry.file, dir), 'utf8')) as JsonValue;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || parsed.$id !== entry.$id) {
      throw new Error(`xdm-library/${entry.file} does not hold ${entry.$id}`);
    }
    doc = deepFreeze(parsed);
    documents.set(entry.$id, doc);
  }
  return doc;
}

/** A standard component by `$id` (`https://ns.adobe.com/xdm/context/profile`) or `meta:altId` (`_xdm.context.profile`). */
export function findStandard(idOrAltId: string): XedDocument | undefined {
  const entry = library().byIdOrAltId.get(idOrAltId);
  return entry === undefined ? undefined : documentOf(entry);
}

/** The index entry (id, alt id, type, title, version) of a standard component, without reading its document. */
export function standardEntry(idOrAltId: string): LibraryIndexEntry | undefined {
  return library().byIdOrAltId.get(idOrAltId);
}

/** Index entries of one resource type (`classes`, `mixins`, `datatypes`, `behaviors`), or of all. */
export function standardEntries(resourceType?: string): readonly LibraryIndexEntry[] {
  const all = library().index.components;
  return resourceType === undefined ? all : all.filter((entry) => entry['meta:resourceType'] === resourceType);
}

/** The documents of one resource type. */
export function standardComponents(resourceType: string): XedDocument[] {
  return standardEntries(resourceType).map(documentOf);
}

/** Fails at start, with the reason, when the generated library is missing, instead of at the first lookup. */
export function checkStandardLibrary(): void {
  findLibraryDir();
}

/** Where the library's facts come from. */
export function standardSource(): LibraryIndex['source'] {
  return library().index.source;
}
