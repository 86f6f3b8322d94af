import type { RunOutcome } from '../../engine/run-outcome.js';
import type { RunEventCode } from './webhooks.schema.js';

/** A run that landed with rows rejected (under its error threshold) is a partial success; no rows rejected, a success. */
export function runEventCode(outcome: Pick<RunOutcome, 'status' | 'failedRecords'>): RunEventCode | undefined {
  if (outcome.status === 'failed') return 'sources_flow_run_failure';
  if (outcome.status === 'success') return outcome.failedRecords > 0 ? 'sources_flow_run_partial_success' : 'sources_flow_run_success';
  return undefined;
}

/**
 * A notification in the shape of Platform's flow-run events: `event_id`, and under `event` the run as the runs API
 * shows it (ids, sandbox, `metrics`, `activities`, errors) with the I/O Events `header._adobeio` naming the event
 * code. The run record carries no connection credentials, so neither does this.
 */
export function runEvent(eventId: string, code: RunEventCode, run: Record<string, unknown>, orgId: string): { event_id: string; event: Record<string, unknown> } {
  return {
    event_id: eventId,
    event: { ...run, header: { _adobeio: { imsOrgId: orgId, providerMetadata: 'platform_notifications', eventCode: code } } },
  };
}
