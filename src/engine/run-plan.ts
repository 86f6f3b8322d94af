import type { CompileOptions, SourceColumn } from '../mapping/compile-mapping.js';
import type { MappingRule } from '../mapping/mapping-rule.js';
import type { JsonObject } from '../xdm/standard/json-value.js';

/** Everything a run needs, resolved from the flow and its objects by the Flow Service before the run starts. */
export interface RunPlan {
  flowId: string;
  flowSpec: { id: string; version?: string | undefined };
  scope: { orgId: string; sandboxId: string; sandboxName: string };
  /** Who asked for the run (audit fields). */
  actor: { clientId: string; userId: string };
  source: {
    connectionId: string;
    /** The source's base connection, whose runs share the provider's rate limit; none for uploads. */
    baseConnectionId?: string | undefined;
    specId: string;
    auth: Record<string, unknown>;
    params: Record<string, unknown>;
    data: Record<string, unknown>;
    /** Stores credentials the provider rotated during the run, encrypted, on the base connection. */
    saveCredentials?: ((auth: Record<string, unknown>) => Promise<void>) | undefined;
  };
  target: { connectionId: string; dataSetId: string; schemaId: string };
  /** The target schema, fully resolved. */
  schema: JsonObject;
  mapping: {
    id: string;
    version: number;
    rules: MappingRule[];
    /**
     * Rules that depend on the source's columns (batch ingestion maps each uploaded field onto itself), with the
     * source fields the schema does not have, which reject the rows that carry them.
     */
    derive?: ((columns: SourceColumn[]) => { rules: MappingRule[]; extraneous: string[] }) | undefined;
    /** How a rule that reads a column no source row has is taken (see `CompileOptions`); an error by default. */
    absentColumns?: CompileOptions['absentColumns'];
  };
  /**
   * Set for batch ingestion: the run completes this existing Catalog batch instead of creating one, and keeps no
   * incremental state (an upload has no watermark).
   */
  upload?: { batchId: string } | undefined;
  deltaColumn?: { name: string; dateFormat?: string; timezone?: string } | undefined;
  options: { partialIngestionPercent?: number | undefined; errorDiagnosticsEnabled: boolean };
  /** The run's window in epoch ms; rows with a delta value in (watermark, windowEnd] are read. */
  window: { start: number | null; end: number };
}
