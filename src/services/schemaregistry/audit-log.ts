import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { RequestContext } from '../../server/gateway/request-context.js';
import type { Database } from '../../store/database.js';
import type { Scope } from '../../store/resources.repository.js';
import type { JsonObject, JsonValue } from '../../xdm/standard/json-value.js';
import { changedPaths, type FieldChange } from './audit-diff.js';
import type { AuditEntry, AuditUpdate } from './registry-rpc.schema.js';

/** One write to a tenant resource: a create has only `after`, a delete only `before`, an update both. */
export type RegistryChange = { action: 'create'; after: JsonObject } | { action: 'update'; before: JsonObject; after: JsonObject } | { action: 'delete'; before: JsonObject };

/**
 * Fields the registry computes on every write (version, etag, dates, derived `refs` and `meta:extends`):
 * recording them would show every update as a change of the same bookkeeping, hiding what the client changed.
 */
const bookkeeping = new Set(['version', 'meta:registryMetadata', 'refs', 'meta:extends']);

/** How one request's writes are recorded: under one request id, and in the transaction of the writes, if any. */
export interface AuditContext {
  requestId: string;
  within?: Transaction<Database>;
}

export function newAuditRequestId(): string {
  return crypto.randomBytes(16).toString('hex');
}

/**
 * The Schema Registry's audit log, kept in the metadata store. Each create, update and delete of a tenant class,
 * field group, data type or schema becomes one entry with who made it, when, and the changed paths.
 */
export class RegistryAuditLog {
  /** Orders the entries this process writes within one millisecond. */
  private sequence = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  /** Records a write; a request that writes several resources passes one context, with the transaction they ran in. */
  async record(request: FastifyRequest, change: RegistryChange, context: AuditContext = { requestId: newAuditRequestId() }): Promise<void> {
    const ctx: RequestContext = request.ctx;
    const doc = change.action === 'delete' ? change.before : change.after;
    const fields = updatesOf(change);
    if (fields.length === 0) return;
    this.sequence += 1;
    await (context.within ?? this.db)
      .insertInto('registry_audit_log')
      .values({
        id: crypto.randomUUID(),
        org_id: ctx.scope.orgId,
        sandbox_id: ctx.scope.sandboxId,
        resource_id: String(doc.$id),
        resource_type: String(doc['meta:resourceType']),
        request_id: context.requestId,
        user_id: ctx.userId,
        client_id: ctx.clientId,
        recorded_at: this.now(),
        sequence: this.sequence,
        updates: JSON.stringify(fields),
      })
      .execute();
  }

  /**
   * The entries of `subject` and of `ids` (the tenant components it builds on), most recent first, presented as
   * the history of `subject`. The components' entries from before the subject was created are left out: they
   * are not changes to it. Its own oldest entry marks that moment (an import records a data type before the
   * field group that uses it, in the same millisecond); `since`, its creation date, stands in for a resource
   * created before the log was kept.
   */
  async history(scope: Scope, subject: string, ids: string[], since: number | undefined): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('registry_audit_log')
      .selectAll()
      .where('org_id', '=', scope.orgId)
      .where('sandbox_id', '=', scope.sandboxId)
      .where('resource_id', 'in', [subject, ...ids])
      .orderBy('recorded_at', 'desc')
      .orderBy('sequence', 'desc')
      .execute();
    const created = rows.map((row) => row.resource_id).lastIndexOf(subject);
    return rows
      .filter((row, index) => row.resource_id === subject || (created >= 0 ? index < created : since === undefined || Number(row.recorded_at) > since))
      .map((row) => ({
        id: subject,
        updatedUser: row.user_id,
        imsOrg: row.org_id,
        updatedTime: auditTime(Number(row.recorded_at)),
        requestId: row.request_id,
        clientId: row.client_id,
        sandboxId: row.sandbox_id,
        sandBoxId: row.sandbox_id,
        updates: (JSON.parse(row.updates) as FieldChange[]).map((field): AuditUpdate => ({ id: row.resource_id, xdmType: row.resource_type, ...field })),
      }));
  }
}

/** A create adds the whole resource and a delete removes it (path ""); an update lists each changed field. */
function updatesOf(change: RegistryChange): FieldChange[] {
  if (change.action === 'create') return [{ action: 'add', path: '', value: content(change.after) }];
  if (change.action === 'delete') return [{ action: 'remove', path: '', value: content(change.before) }];
  return changedPaths(content(change.before), content(change.after));
}

function content(doc: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(doc)) if (!bookkeeping.has(key)) out[key] = value as JsonValue;
  return out;
}

/** AEP writes audit times as `02-19-2021 05:43:56`. */
function auditTime(epochMillis: number): string {
  const iso = new Date(epochMillis).toISOString();
  return `${iso.slice(5, 7)}-${iso.slice(8, 10)}-${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
}
