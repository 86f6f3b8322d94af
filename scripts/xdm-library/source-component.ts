/**
 * Reading the XDM standard in its source form (adobe/xdm: `*.schema.json` files with JSON-LD compact names).
 * Only the generator reads these files; the server reads the generated library in xdm-library/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JsonObject, JsonValue } from '../../src/xdm/standard/json-value.js';
import type { LibraryIndex } from '../../src/xdm/standard/library-index.js';

export type SourceComponent = {
  /** Path below the reference folder, with `/` separators, e.g. `components/classes/profile.schema.json`. */
  readonly file: string;
  readonly source: JsonObject;
};

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every `*.schema.json` below `dir` (the copy of adobe/xdm's `components/` and `extensions/`), sorted by path. */
export function readSourceComponents(dir: string): SourceComponent[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.schema.json'))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
  return files.map((file) => {
    const source = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as JsonValue;
    if (!isJsonObject(source) || typeof source.$id !== 'string') throw new Error(`${file}: not an XDM component (no $id)`);
    return { file, source };
  });
}

/** Where the reference copy comes from, as its PROVENANCE.md records it. */
export function referenceSource(dir: string): LibraryIndex['source'] {
  const provenance = readFileSync(path.join(dir, 'PROVENANCE.md'), 'utf8');
  const commit = /commit `([0-9a-f]{40})`/.exec(provenance)?.[1];
  if (commit === undefined) throw new Error(`no source commit in ${dir}/PROVENANCE.md`);
  return { repository: 'https://github.com/adobe/xdm', commit, license: 'CC-BY-4.0' };
}
