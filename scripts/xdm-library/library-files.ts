/** Writing the generated library to disk, and comparing it with what is committed. */
import fs from 'node:fs';
import path from 'node:path';
import type { JsonValue } from '../../src/xdm/standard/json-value.js';
import type { LibraryIndex } from '../../src/xdm/standard/library-index.js';
import type { XedDocument } from '../../src/xdm/standard/xed-document.js';
import type { GeneratedLibrary } from './build-library.js';

const INDEX_FILE = 'index.json';

/** Pretty-printed with a final newline, so a change upstream shows as a readable diff of one component. */
function serialise(value: JsonValue | LibraryIndex): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function writeLibrary(dir: string, library: GeneratedLibrary): void {
  for (const type of ['classes', 'mixins', 'datatypes', 'behaviors']) fs.rmSync(path.join(dir, type), { recursive: true, force: true });
  for (const [file, doc] of library.files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), serialise(doc));
  }
  fs.writeFileSync(path.join(dir, INDEX_FILE), serialise(library.index));
}

/** The committed library as file → text, or an empty map when there is none. */
export function readCommittedLibrary(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(dir, file);
    if (file.endsWith('.json') && fs.statSync(full).isFile()) out.set(file.split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
  }
  return out;
}

/** One line per file that is missing, extra or different. */
export function libraryDifferences(committed: ReadonlyMap<string, string>, library: GeneratedLibrary): string[] {
  const expected = new Map<string, string>([[INDEX_FILE, serialise(library.index)], ...[...library.files].map(([file, doc]): [string, string] => [file, serialise(doc as XedDocument)])]);
  const out: string[] = [];
  for (const [file, text] of expected) {
    const actual = committed.get(file);
    if (actual === undefined) out.push(`missing: ${file}`);
    else if (actual !== text) out.push(`differs: ${file}`);
  }
  for (const file of committed.keys()) if (!expected.has(file)) out.push(`not generated: ${file}`);
  return out;
}
