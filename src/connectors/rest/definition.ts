/**
 * The vocabulary of a REST connector definition. A payments app is described, not programmed: how to
 * authenticate, where its streams live, how their pages follow one another, where the records sit in a page,
 * what their columns are, and how an incremental read is cut into windows. One engine (`stream-reader.ts`)
 * interprets every definition. Each component is a union discriminated on `type`.
 *
 * @example
 * const products: StreamDefinition = {
 *   name: 'Catalog_Products',
 *   request: { path: '/v1/catalogs/products', query: { page_size: '20', total_required: 'true' } },
 *   records: { path: ['products'] },
 *   paginator: { type: 'page-number', param: 'page', totalPagesPath: ['total_pages'] },
 *   primaryKey: 'Product_Id',
 *   columns: [{ name: 'Product_Id', path: ['id'], type: 'string' }],
 * };
 */
export interface RestConnectorDefinition {
  /** The table prefix explore shows, e.g. `PayPal` in `PayPal.Catalog_Products`. */
  vendor: string;
  /** The provider's live API host, used when the connection sets no `host`. */
  defaultHost: string;
  auth: AuthDefinition;
  /** Headers every request carries, e.g. a pinned API version. */
  headers?: Record<string, string>;
  /** The provider's documented rate, shared by every request of one connection, on any worker. */
  rateLimit: RateLimitDefinition;
  /** How many requests of one run may be in flight at once (detail fetches, windows). */
  concurrency: number;
  /** A cheap authenticated request that proves the credentials work (`GET /connections/{id}/test`). */
  check: { path: string; query?: Record<string, string> };
  streams: StreamDefinition[];
}

/** Requests a second on average, and how many may go at once after a quiet spell. */
export interface RateLimit {
  requestsPerSecond: number;
  burst: number;
}

/**
 * A connection's rate, which may depend on the kind of credentials it holds: Stripe allows a test-mode key 25
 * read requests a second and a live key 100. The first `byCredentials` entry whose `when` matches the
 * connection's credentials gives the rate; none matching, the top-level one does.
 *
 * @example
 * const stripe: RateLimitDefinition = {
 *   requestsPerSecond: 100,
 *   burst: 100,
 *   byCredentials: [{ when: { type: 'prefix', param: 'accessToken', prefixes: ['sk_test_'] }, requestsPerSecond: 25, burst: 25 }],
 * };
 */
export interface RateLimitDefinition extends RateLimit {
  byCredentials?: ({ when: CredentialMatch } & RateLimit)[];
}

/** Which credentials a rate is for: a credential parameter that starts with one of `prefixes` (a key's mode). */
export type CredentialMatch = { type: 'prefix'; param: string; prefixes: string[] };

export type AuthDefinition =
  /** A static secret sent as `Authorization: Bearer <secret>` (Stripe's secret key). */
  | { type: 'bearer'; secretParam: string }
  /** OAuth2 client credentials, the token cached until shortly before it expires (PayPal). */
  | { type: 'oauth2-client-credentials'; tokenPath: string; clientIdParam: string; clientSecretParam: string }
  /**
   * An access token renewed with a refresh token that may rotate (Square): the new pair is handed to the
   * platform to store before it is used, so a rotated token is never lost.
   */
  | { type: 'oauth2-refresh-token'; tokenPath: string; clientIdParam: string; clientSecretParam: string; accessTokenParam: string; refreshTokenParam: string };

export interface RequestDefinition {
  method?: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  /** A JSON body for search endpoints (POST). */
  body?: Record<string, unknown>;
}

export type PaginatorDefinition =
  /** `page=1,2,…` until `total_pages` (or an empty page). */
  | { type: 'page-number'; param: string; totalPagesPath?: string[]; firstPage?: number }
  /** An opaque cursor from the response, sent back in the query or the JSON body; absent when done. */
  | { type: 'cursor'; cursorPath: string[]; param: string; in: 'query' | 'body' }
  /** The last record's id as `starting_after`, while `has_more` is true (Stripe). */
  | { type: 'after-last-id'; param: string; idPath: string[]; hasMorePath: string[] }
  /** A link with `rel: next` in the response's `links` array (PayPal disputes). */
  | { type: 'next-link'; linksPath: string[] }
  | { type: 'none' };

/** Column types as the explore response and the staging reader know them. */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date-time' | 'object' | 'array';

export interface ColumnDefinition {
  /** The column name users map from, e.g. `Product_Id`. */
  name: string;
  /** Where the value sits in a record; nested values stay JSON objects unless a path reaches into them. */
  path: string[];
  type: ColumnType;
  /** The provider writes this time as epoch seconds (Stripe's `created`); it is staged as ISO-8601. */
  epochSeconds?: boolean;
}

/** A time-windowed incremental read: the API filters on `startParam`..`endParam`. */
export interface WindowedCursor {
  type: 'time-window';
  /** The column holding the time the provider filters the window on (e.g. a transaction's initiation date). */
  column: string;
  /** Query parameters, or dot paths into the JSON body of a search request (`query.filter.updated_at.start_at`). */
  in?: 'query' | 'body';
  startParam: string;
  /** Absent when the API takes only a lower bound ("changed since"): each run then reads one window up to now. */
  endParam?: string;
  /** How the window's bounds are written: RFC 3339 or epoch seconds. */
  format: 'rfc3339' | 'epoch-seconds';
  /** The widest window the API allows. */
  maxWindowMs: number;
  /**
   * The finest time the API filters on (default 1000: both formats write whole seconds). No window is cut
   * narrower, and records are checked against their window at this resolution.
   */
  resolutionMs?: number;
  /** How long before now data may still be missing (PayPal: 3 h); windows never reach past now − lag. */
  sourceLagMs: number;
  /** How far before the stored cursor each run re-reads, for records that changed after their window was read. */
  lookbackMs: number;
  /** Where a first run starts when the flow takes all history. */
  historyMs: number;
  /**
   * The order the API lists a window in, when it is by this cursor. Knowing it, a window whose first page is
   * full is cut at that page's last record into parts read side by side (a large first read goes
   * `concurrency` times faster); without it a window is read page after page.
   */
  order?: 'newest-first' | 'oldest-first';
  /** A provider error that means "too many results, ask for a smaller window". */
  splitWhen?: { status: number; bodyIncludes: string };
}

/**
 * An event log of changes (Stripe's `/v1/events`): after the first full read, runs read only the events since
 * the last one, the newest event per record wins, and `*.deleted` events mark deletions. A log that keeps
 * events for a limited time forces a full read when a flow has not run within it.
 */
export interface ChangeFeed {
  type: 'events';
  request: RequestDefinition;
  records: { path: string[] };
  paginator: PaginatorDefinition;
  /** The event types that change this stream's records, sent as `typesParam` (`types[]`). */
  types: string[];
  typesParam: string;
  /** The most event types one request may ask for. */
  maxTypesPerRequest: number;
  /** Only events after the cursor, strictly (`created[gt]`), in epoch seconds. */
  afterParam: string;
  /** Where the changed record, its kind and the event's time are in an event. */
  objectPath: string[];
  /** Events whose record is of another kind (a dispute in a `charge.dispute.*` event) are not this stream's. */
  objectKind: { path: string[]; equals: string };
  createdPath: string[];
  typePath: string[];
  /** The event types that mean the record was deleted. */
  deletedTypes: string[];
  /** How long the provider keeps events. */
  retentionMs: number;
}

export interface StreamDefinition {
  /** The table name, e.g. `Catalog_Products` (shown as `<vendor>.Catalog_Products`). */
  name: string;
  description?: string;
  request: RequestDefinition;
  /** Where the records are in a response; an empty path means the response is one record (a snapshot). */
  records: { path: string[] };
  paginator: PaginatorDefinition;
  /** The column that identifies a record, for deduplication and the latest-version view. */
  primaryKey: string;
  columns: ColumnDefinition[];
  /** Top-level record fields the columns deliberately leave out; any other unknown field is counted. */
  ignoredFields?: string[];
  cursor?: WindowedCursor;
  /** Where later runs read what changed since the last one, instead of reading the windows again. */
  changes?: ChangeFeed;
  /** A per-record detail request whose response is merged over the listed record (`{id}` is replaced). */
  detail?: { path: string; idPath: string[] };
  /**
   * A stream the API serves per partition (Square's payments per location): the partition values come from
   * another list, and each request carries one value (or a group of values, for APIs that take a list).
   */
  partitions?: { request: RequestDefinition; records: { path: string[] }; valuePath: string[]; param: string; in: 'query' | 'body'; groupSize?: number };
  /**
   * For tables whose API cannot tell deletions (no change log, no deletion flag): every so often a run reads
   * the whole table, and the records it no longer holds count as deleted.
   */
  reconcileEveryMs?: number;
  /** Records the API returns with a deletion flag (Square's `is_deleted`) stand for deleted records. */
  deletedWhen?: { path: string[]; equals: unknown };
  /**
   * Responses the stream tolerates instead of failing, e.g. a 404 for a record deleted between list and
   * detail. Each one is counted and shown in the run; nothing is ignored silently.
   */
  tolerate?: { status: number; reason: string }[];
}
