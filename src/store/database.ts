/** Row types of the metadata database. JSON documents are stored as text so both backends share one code path. */
export interface OrgsTable {
  id: string;
  tenant_id: string;
  name: string;
  created_at: number;
}

export interface ApiClientsTable {
  client_id: string;
  org_id: string;
  name: string;
  secret_hash: string;
  created_at: number;
}

export interface SandboxesTable {
  id: string;
  org_id: string;
  name: string;
  title: string;
  type: string;
  state: string;
  is_default: number;
  created_at: number;
  updated_at: number;
  created_by: string;
  updated_by: string;
}

/** Every API object (flow-service objects, registry resources, datasets, mapping sets ...) is one row here. */
export interface ResourcesTable {
  kind: string;
  id: string;
  org_id: string;
  sandbox_id: string;
  body: string;
  /** Encrypted credentials, kept out of `body` so no read path can leak them by accident. */
  secret: string | null;
  etag: string;
  created_at: number;
  updated_at: number;
  /** Unique per kind within a sandbox when set (e.g. a schema's title). */
  unique_key: string | null;
}

/** One write to a Schema Registry resource: who, when, and the changed paths (`updates`, a JSON array). */
export interface RegistryAuditLogTable {
  id: string;
  org_id: string;
  sandbox_id: string;
  resource_id: string;
  /** `meta:resourceType` of the resource: schemas, classes, mixins or datatypes. */
  resource_type: string;
  request_id: string;
  user_id: string;
  client_id: string;
  recorded_at: number;
  /** Orders the writes one process makes within the same millisecond. */
  sequence: number;
  updates: string;
}

/** A record a streaming inlet accepted, waiting to land; `batch_id` is set once a batch has claimed it. */
export interface StreamRecordsTable {
  id: string;
  org_id: string;
  sandbox_id: string;
  /** The landing it waits for: inlet, dataset and mapping, as a JSON key (records with equal keys land together). */
  target: string;
  /** The record as JSON (the XDM entity, or the raw message for a raw inlet). */
  body: string;
  bytes: number;
  received_at: number;
  batch_id: string | null;
  claimed_at: number | null;
}

/** A flow's newest run (by `created_at`, then the smallest id), written with the run's first record. */
export interface FlowLastRunsTable {
  org_id: string;
  sandbox_id: string;
  flow_id: string;
  run_id: string;
  created_at: number;
}

/**
 * One notification of one finished run to one webhook: the exact body sent on every attempt, where it stands
 * (`pending`, `delivered`, `failed`), the attempts so far (a JSON array), and the claim of the process sending it.
 */
export interface WebhookDeliveriesTable {
  id: string;
  org_id: string;
  sandbox_id: string;
  webhook_id: string;
  event_id: string;
  event_code: string;
  run_id: string;
  flow_id: string;
  body: string;
  status: string;
  attempts: string;
  attempt_count: number;
  /** When the next attempt is due; null once the delivery is done. */
  next_attempt_at: number | null;
  /** A process sending it holds it until then; a claim that expired belonged to a process that stopped. */
  claimed_until: number | null;
  created_at: number;
  updated_at: number;
}

/**
 * The columns `GET /runs` filters and sorts on, one row per run (its body stays in `resources`), written in the
 * transaction of every write of the run. `created_at` and `updated_at` are the body's `createdAt` and `updatedAt`.
 */
export interface FlowRunsTable {
  org_id: string;
  sandbox_id: string;
  run_id: string;
  /** Null when the body has no string `flowId` (so `!flowId` finds it, as it did on the body). */
  flow_id: string | null;
  /** `metrics.statusSummary.status`; null when the body has none. */
  status: string | null;
  created_at: number;
  updated_at: number;
}

/** A provider rate limit's token bucket, shared by every process (`rate-buckets.repository.ts`). */
export interface RateBucketsTable {
  key: string;
  /** Below zero when tokens are reserved ahead of the refill. */
  tokens: number;
  /** Epoch ms on the database's clock, with its fraction. */
  updated_at: number;
}

/**
 * The columns `GET /flows` filters and sorts on, one row per flow (its body stays in `resources`), written in the
 * transaction of every write of the flow. `created_at` and `updated_at` are the body's `createdAt` and `updatedAt`.
 */
export interface FlowsTable {
  org_id: string;
  sandbox_id: string;
  flow_id: string;
  /** Null where the body's field is not a string (so `!name` finds it, as it did on the body). */
  name: string | null;
  /** `flowSpec.id`. */
  flow_spec_id: string | null;
  /** `enabled` or `disabled`. */
  state: string | null;
  created_at: number;
  updated_at: number;
}

/** A flow's `sourceConnectionIds` and `targetConnectionIds`, one row per id: a flow may have several of each. */
export interface FlowConnectionsTable {
  org_id: string;
  sandbox_id: string;
  flow_id: string;
  /** `source` or `target`. */
  direction: string;
  connection_id: string;
}

/**
 * The columns `GET /batches` filters and sorts on, one row per Catalog batch (its body stays in `resources`),
 * written in the transaction of every write of the batch. `created` and `updated` are the body's, which the API
 * shows; `stored_at` is the row's own creation time, the order a list without `orderBy` keeps.
 */
export interface CatalogBatchesTable {
  org_id: string;
  sandbox_id: string;
  batch_id: string;
  /** The batch's one related object of type `dataSet`; null when it has none. */
  data_set_id: string | null;
  status: string | null;
  created: number | null;
  updated: number | null;
  stored_at: number;
}

/**
 * One row per value of each tag of a Catalog dataset or batch (a tag with no values has one row, its `value`
 * null), written in the transaction of every write of the object: `GET /tags/{namespace}` reads these rows only.
 * A namespace may be long (any JSON key), so it is found by `namespace_key`, its SHA-256 in hex.
 */
export interface CatalogTagsTable {
  org_id: string;
  sandbox_id: string;
  /** `dataSets` or `batches`, as the lookup names the collections. */
  object_kind: string;
  object_id: string;
  namespace_key: string;
  /** The value's place in the tag's array. */
  position: number;
  namespace: string;
  value: string | null;
}

/**
 * The columns the Flow Service's connection lists filter and sort on, one row per base, source or target
 * connection (its body stays in `resources`), written in the transaction of every write of the connection.
 */
export interface FlowServiceConnectionsTable {
  org_id: string;
  sandbox_id: string;
  /** The resource kind: `flowservice.connection`, `flowservice.sourceConnection` or `flowservice.targetConnection`. */
  kind: string;
  connection_id: string;
  name: string | null;
  /** `connectionSpec.id`. */
  connection_spec_id: string | null;
  /** Source and target connections: `baseConnectionId`. */
  base_connection_id: string | null;
  state: string | null;
  /** Target connections: `params.dataSetId`, the dataset they write into. */
  data_set_id: string | null;
  /** HTTP API base connections: `auth.params.inletId`, the id of the inlet URL records are sent to. */
  inlet_id: string | null;
  /** The body's `createdAt` and `updatedAt`. */
  created_at: number;
  updated_at: number;
}

/**
 * The columns `GET /dataSets` filters and sorts on, one row per Catalog dataset (its body stays in `resources`),
 * written in the transaction of every write of the dataset. `created` and `updated` are the body's; `stored_at`
 * is the row's own creation time, the order a list without `orderBy` keeps.
 */
export interface CatalogDataSetsTable {
  org_id: string;
  sandbox_id: string;
  data_set_id: string;
  name: string | null;
  /** `schemaRef.id`. */
  schema_id: string | null;
  /** The first value of the `adobe/pqs/table` tag: the dataset's table in SQL. */
  table_name: string | null;
  state: string | null;
  created: number | null;
  updated: number | null;
  stored_at: number;
}

/**
 * The columns `GET /mappingSets` sorts on, one row per mapping set (its body stays in `resources`): its current
 * version's name and dates, and the row's own creation time, the order a list without `orderBy` keeps.
 */
export interface MappingSetsTable {
  org_id: string;
  sandbox_id: string;
  mapping_set_id: string;
  name: string | null;
  created_date: number | null;
  modified_date: number | null;
  stored_at: number;
}

/** The schemas a mapping set's versions write, one row per schema. */
export interface MappingSetSchemasTable {
  org_id: string;
  sandbox_id: string;
  mapping_set_id: string;
  schema_id: string;
}

/**
 * One row per Schema Registry document (tenant component or descriptor), written with it: the registry's lists
 * page on `title_key` (see `titleSortKey`), lookups find a component by `alt_id`, a schema's descriptors are found
 * by `source_schema` and a union's members by `union_class`, without reading every document of the sandbox.
 */
export interface RegistryDocumentsTable {
  org_id: string;
  sandbox_id: string;
  kind: string;
  id: string;
  alt_id: string | null;
  title_key: string | null;
  source_schema: string | null;
  /** For a schema enabled for Profile (`union` in `meta:immutableTags`), its class: the union it is a member of. */
  union_class: string | null;
}

/** One row per id a registry document names (see `registryReferenceRows`): who uses a component, without reading bodies. */
export interface RegistryReferencesTable {
  org_id: string;
  sandbox_id: string;
  kind: string;
  id: string;
  referenced_id: string;
}

export interface Database {
  orgs: OrgsTable;
  api_clients: ApiClientsTable;
  sandboxes: SandboxesTable;
  resources: ResourcesTable;
  registry_audit_log: RegistryAuditLogTable;
  stream_records: StreamRecordsTable;
  flow_last_runs: FlowLastRunsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  flow_runs: FlowRunsTable;
  rate_buckets: RateBucketsTable;
  flows: FlowsTable;
  flow_connections: FlowConnectionsTable;
  catalog_batches: CatalogBatchesTable;
  flow_service_connections: FlowServiceConnectionsTable;
  catalog_data_sets: CatalogDataSetsTable;
  mapping_sets: MappingSetsTable;
  mapping_set_schemas: MappingSetSchemasTable;
  catalog_tags: CatalogTagsTable;
  registry_documents: RegistryDocumentsTable;
  registry_references: RegistryReferencesTable;
}
