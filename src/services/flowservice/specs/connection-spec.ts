/** JSON Schema documents handed to clients as data and used by Ajv as-is (never retyped). */
export type JsonSchema = { readonly [key: string]: unknown };

export interface AuthSpec {
  name: string;
  type: string;
  spec: JsonSchema;
}

/**
 * How a source tells a flow's later runs what changed since its last successful run, by itself:
 * - `connector-state`: the connector keeps its own incremental state (an API's change feed, time windows);
 * - `file-modification-time`: files new or changed (size, modification time) since that run are read, whole.
 */
export type ChangeCapture = 'connector-state' | 'file-modification-time';

/** A built-in connection spec, in the shape GET /connectionSpecs returns. */
export interface ConnectionSpec {
  id: string;
  name: string;
  providerId: string;
  version: string;
  type?: string;
  attributes: Record<string, unknown>;
  authSpec: AuthSpec[];
  sourceSpec?: { attributes: Record<string, unknown>; spec: JsonSchema };
  targetSpec?: { attributes: Record<string, unknown>; spec: JsonSchema };
  exploreSpec?: Record<string, unknown>;
  permissionsInfo: Record<string, unknown>;
  /**
   * Sources that find changes by themselves (a Tributary field, shown so clients can tell). A source without it
   * finds changes only through a flow's Copy transformation: its delta column, compared with the last watermark.
   * Adobe asks a delta column of CRM and relational-database sources.
   */
  changeCapture?: ChangeCapture;
}

export const sourcePermissions = {
  view: [{ '@type': 'lowLevel', name: 'EnterpriseSource', permissions: ['read'] }],
  manage: [{ '@type': 'lowLevel', name: 'EnterpriseSource', permissions: ['write'] }],
};

/** Table sources (PayPal, Square) take a table name and an optional column list. */
export const tabularSourceSpec: ConnectionSpec['sourceSpec'] = {
  attributes: { uiAttributes: { isSource: true, isPreview: true, category: { key: 'payments' } } },
  spec: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    description: 'Defines the table to read from the payments application',
    properties: {
      tableName: { type: 'string', minLength: 1, description: 'Table path as listed by explore, e.g. PayPal.Catalog_Products' },
      columns: {
        type: 'array',
        description: 'Optional column list; the connector reports the real table schema',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            type: { type: 'string' },
            'meta:xdmType': { type: 'string' },
            xdm: { type: 'object' },
          },
          required: ['name'],
        },
      },
    },
    required: ['tableName'],
  },
};

export const tabularExploreSpec = {
  name: 'Resource',
  type: 'Resource',
  requestSpec: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' },
  responseSpec: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      format: { type: 'string' },
      schema: { type: 'object', properties: { columns: { type: 'array' } } },
      data: { type: 'array', maxItems: 100 },
    },
  },
};

export function secretString(description: string): JsonSchema {
  return { type: 'string', format: 'password', minLength: 1, description };
}

/**
 * The annotation that marks an auth param saying where the credentials go: a host, base URL, token URL or
 * endpoint. A PATCH that changes one must send every secret of the auth again, and the secrets are sealed bound
 * to it. It is data, shown to clients in GET /connectionSpecs beside `format: password`, which marks the secrets.
 */
export const credentialDestination = 'x-credentialDestination';

/** A plain string param that is a credential destination (see `credentialDestination`). */
export function destinationString(description: string, extra: JsonSchema = {}): JsonSchema {
  return plainString(description, { ...extra, [credentialDestination]: true });
}

export function plainString(description: string, extra: JsonSchema = {}): JsonSchema {
  return { type: 'string', minLength: 1, description, ...extra };
}

/** File sources (Local Files, SFTP, S3) take a file, a folder or a glob below the connection's root. */
export function fileSourceSpec(description: string, example: string): NonNullable<ConnectionSpec['sourceSpec']> {
  return {
    attributes: { uiAttributes: { isSource: true, isPreview: true, category: { key: 'cloudStorage' } } },
    spec: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      description,
      properties: { path: { type: 'string', minLength: 1, description: example } },
      required: ['path'],
    },
  };
}

/** File sources are explored folder by folder, and a file's columns and rows previewed. */
export const fileExploreSpec = {
  name: 'Files',
  type: 'File',
  requestSpec: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' },
  responseSpec: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' },
};

/** Database sources (PostgreSQL, MySQL, MariaDB) take AEP's one secret param, `connectionString`. */
export function connectionStringAuthSpec(description: string, form: string): AuthSpec {
  return {
    name: 'Connection String Based Authentication',
    type: 'ConnectionStringBasedAuthentication',
    spec: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      description,
      properties: { connectionString: secretString(form) },
      required: ['connectionString'],
      additionalProperties: false,
    },
  };
}

/** Database sources read one table or view, named as explore lists it. */
export function databaseSourceSpec(description: string, tableName: string): NonNullable<ConnectionSpec['sourceSpec']> {
  return {
    attributes: { uiAttributes: { isSource: true, isPreview: true, category: { key: 'database' } } },
    spec: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      description,
      properties: { tableName: { type: 'string', minLength: 1, description: tableName } },
      required: ['tableName'],
    },
  };
}
