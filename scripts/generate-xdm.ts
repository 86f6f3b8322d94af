/**
 * `npm run generate:xdm`: regenerates xdm-library/ (the standard XDM components the Schema Registry serves)
 * from the reference copy of adobe/xdm. The output is committed, so the server never needs the reference.
 *
 *   npm run generate:xdm [-- --reference ../shared/reference/xdm-full] [--check]
 *
 * With --check nothing is written; it exits 1 if the committed library differs from what it would generate.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLibrary } from './xdm-library/build-library.js';
import { libraryDifferences, readCommittedLibrary, writeLibrary } from './xdm-library/library-files.js';
import { readSourceComponents, referenceSource } from './xdm-library/source-component.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

const referenceDir = path.resolve(option('--reference') ?? path.join(root, '..', 'shared', 'reference', 'xdm-full'));
const libraryDir = path.join(root, 'xdm-library');
const library = buildLibrary(readSourceComponents(referenceDir), referenceSource(referenceDir));
if (process.argv.includes('--check')) {
  const differences = libraryDifferences(readCommittedLibrary(libraryDir), library);
  for (const line of differences.slice(0, 20)) console.error(line);
  if (differences.length > 0) {
    console.error(`xdm-library/ is out of date (${differences.length} differences): run npm run generate:xdm`);
    process.exitCode = 1;
  } else console.log(`xdm-library/ is up to date (${library.index.components.length} components)`);
} else {
  writeLibrary(libraryDir, library);
  const counts = new Map<string, number>();
  for (const entry of library.index.components) counts.set(entry['meta:resourceType'], (counts.get(entry['meta:resourceType']) ?? 0) + 1);
  console.log(`wrote ${library.index.components.length} components to xdm-library/: ${[...counts].map(([t, n]) => `${n} ${t}`).join(', ')}`);
}
