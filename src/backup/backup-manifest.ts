import { Type, type Static } from 'typebox';
import { Check } from 'typebox/value';

/** A file of the archive, with what it must hash to. */
export const ArchivedFile = Type.Object({
  path: Type.String({ minLength: 1 }),
  bytes: Type.Integer({ minimum: 0 }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
});
export type ArchivedFile = Static<typeof ArchivedFile>;

export const backupFormat = 'tributary-backup';
export const backupFormatVersion = 1;

/** `manifest.json`, the archive's last entry: what it holds and what each file must hash to. */
export const BackupManifest = Type.Object({
  format: Type.Literal(backupFormat),
  version: Type.Literal(backupFormatVersion),
  /** When the metadata snapshot was read, epoch milliseconds. */
  created: Type.Integer(),
  /** The metadata store it was read from. */
  backend: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  /** The store's migrations, oldest first: the schema the rows were read at. */
  migrations: Type.Array(Type.String(), { minItems: 1 }),
  /** Snapshots read: more than one when batches were deleted while their files were being copied. */
  snapshots: Type.Integer({ minimum: 1 }),
  key: Type.Object({
    /** The master key's fingerprint (a one-way derivation), to check the key a restore is given. */
    fingerprint: Type.String({ pattern: '^[0-9a-f]{32}$' }),
    /** Rows with sealed credentials: a restore needs the same key for them. */
    sealedSecrets: Type.Integer({ minimum: 0 }),
    /** `secret.key`, present only when the backup was made with `--include-key`. */
    file: Type.Optional(ArchivedFile),
  }),
  tables: Type.Array(Type.Object({ name: Type.String(), rows: Type.Integer({ minimum: 0 }), file: ArchivedFile })),
  lake: Type.Object({
    batches: Type.Integer({ minimum: 0 }),
    bytes: Type.Integer({ minimum: 0 }),
    files: Type.Array(ArchivedFile),
  }),
});
export type BackupManifest = Static<typeof BackupManifest>;

/** The manifest, or a sentence saying why the text is not one. */
export function parseManifest(text: string): BackupManifest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'its manifest.json is not JSON';
  }
  if (Check(BackupManifest, parsed)) return parsed;
  if (Check(Type.Object({ format: Type.Literal(backupFormat), version: Type.Integer() }), parsed) && parsed.version !== backupFormatVersion) {
    return `it is format version ${parsed.version}; this Tributary reads version ${backupFormatVersion}`;
  }
  return 'its manifest.json does not have the backup manifest shape';
}
