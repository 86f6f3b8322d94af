import type { FieldProblem } from '../../server/errors/api-error.js';
import type { ConnectionSpec } from './specs/connection-spec.js';
import type { FlowSpec } from './specs/flow-spec.js';

/** What decides whether a flow's scheduled runs can each read only what changed since the last one. */
export interface ScheduledChanges {
  flowSpec: FlowSpec;
  /** `scheduleParams.frequency`; a flow without a schedule runs once. */
  frequency: unknown;
  /** The flow has a Copy transformation, whose deltaColumn finds the rows after the last watermark. */
  hasDeltaColumn: boolean;
  /** The connection specs of the flow's sources. */
  sources: readonly ConnectionSpec[];
}

/**
 * Why the flow may not run on its schedule, or undefined when it may. Without a way to find changes, every
 * scheduled run would read the whole source again and land it again. A source that finds changes by itself
 * (its `changeCapture`) needs no delta column; any other needs the Copy transformation's, as AEP asks of CRM and
 * relational-database sources.
 */
export function scheduledChangesProblem(flow: ScheduledChanges): FieldProblem | undefined {
  if (flow.frequency === undefined || flow.frequency === 'once' || flow.hasDeltaColumn) return undefined;
  const blind = flow.sources.filter((source) => source.changeCapture === undefined).map((source) => source.name);
  if (blind.length === 0) return undefined;
  const sources = blind.join(', ');
  if (flow.flowSpec.transformationSpecs.some((t) => t.name === 'Copy')) {
    return { in: 'body', path: '/transformations', message: `a flow that runs on a schedule needs a "Copy" transformation with a deltaColumn, so that each run reads only new rows: ${sources} cannot tell by itself what changed` };
  }
  return { in: 'body', path: '/scheduleParams/frequency', message: `must be "once": ${sources} cannot tell by itself what changed, and flow spec ${flow.flowSpec.name} has no "Copy" transformation for a deltaColumn` };
}
