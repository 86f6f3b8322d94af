import type { Kysely } from 'kysely';
import type { FileRoots } from '../connectors/local-files/file-roots.js';
import type { Engine } from '../engine/engine.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Database } from '../store/database.js';

/** What every service's routes are built from; passed in, never imported as a singleton. */
export interface ServiceDeps {
  db: Kysely<Database>;
  now: () => number;
  secretBox: SecretBox;
  engine: Engine;
  /** The folders Local Files connections may read. */
  fileRoots: FileRoots;
}
