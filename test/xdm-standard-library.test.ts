/**
 * The standard XDM library (xdm-library/) is generated from the XDM reference (../shared/reference/xdm-full, source
 * form) by scripts/generate-xdm.ts. This test converts every reference file again with an independent converter
 * (test/support/xdm-source-form.ts) and compares whole documents, checks the counts of each kind, that no
 * description was copied, and that the committed files are what the generator writes today.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLibrary } from '../scripts/xdm-library/build-library.js';
import { libraryDifferences, readCommittedLibrary } from '../scripts/xdm-library/library-files.js';
import { readSourceComponents, referenceSource } from '../scripts/xdm-library/source-component.js';
import { findStandard, standardEntries } from '../src/xdm/standard/standard-library.js';
import { sharedDir } from './support/shared-reference.js';
import { expectedXed, isMap, loadReferenceFiles, resourceTypeOf, sourceDescriptions, type Json, type JsonMap } from './support/xdm-source-form.js';

const REFERENCE_DIR = path.join(sharedDir, 'reference', 'xdm-full');
const references = loadReferenceFiles(REFERENCE_DIR);
const libraryDir = path.resolve(import.meta.dirname, '..', 'xdm-library');

/** Calls `visit` on every object in a JSON tree with its path. */
function walk(node: Json, at: string, visit: (node: JsonMap, at: string) => void): void {
  if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}/${i}`, visit));
  else if (isMap(node)) {
    visit(node, at);
    for (const [key, child] of Object.entries(node)) walk(child, `${at}/${key}`, visit);
  }
}

function countsOf(types: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of types) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

describe('standard XDM library against the XDM reference files', () => {
  it('has one component per reference file, and the reference\'s count of each kind', () => {
    expect(references).toHaveLength(757);
    const expected = countsOf(references.map(resourceTypeOf));
    expect(expected).toEqual({ classes: 91, mixins: 380, datatypes: 283, behaviors: 3 });
    expect(countsOf(standardEntries().map((e) => e['meta:resourceType']))).toEqual(expected);
    expect(standardEntries().map((e) => e.$id).sort()).toEqual(references.map((r) => String(r.source.$id)).sort());
  });

  it.each(references.map((ref) => [ref.file, ref] as const))('%s matches the reference converted independently', (_file, ref) => {
    const actual = findStandard(String(ref.source.$id));
    expect(actual, `${String(ref.source.$id)} is not in the library`).toBeDefined();
    const { description, ...facts } = actual ?? {};
    expect(typeof description).toBe('string');
    expect(facts).toEqual(expectedXed(ref));
  });

  it('writes no description of XDM\'s: every one in the library is our own', () => {
    const copied = new Set<string>();
    for (const ref of references) sourceDescriptions(ref.source, copied);
    const problems: string[] = [];
    for (const entry of standardEntries()) {
      walk(findStandard(entry.$id) ?? {}, entry.$id, (node, at) => {
        // In a `properties` or `definitions` map, `description` is a name, not prose.
        if (/\/(properties|definitions)$/.test(at)) return;
        const d = node.description;
        if (typeof d === 'string' && copied.has(d.trim())) problems.push(`${at}: description copied from XDM: ${d}`);
      });
    }
    expect(problems).toEqual([]);
  });

  it('is what scripts/generate-xdm.ts writes today (run npm run generate:xdm after changing the generator)', () => {
    const library = buildLibrary(readSourceComponents(REFERENCE_DIR), referenceSource(REFERENCE_DIR));
    expect(libraryDifferences(readCommittedLibrary(libraryDir), library)).toEqual([]);
  });
});
