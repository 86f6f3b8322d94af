import type { RunIdentity } from '../../engine/run-document.js';
import { findConnectionSpec, findFlowSpec } from '../../services/flowservice/specs/builtin-specs.js';

/** What a label says when a value is outside the known, bounded set: one series, not one per odd value. */
export const otherLabel = 'other';

/** A provider as labels name it: `PayPal` → `paypal`, `Local Files` → `local-files`. */
export function providerLabel(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return slug === '' ? otherLabel : slug;
}

/**
 * The labels of a finished run: its flow spec and its source's provider, by the names of the built-in specs.
 * Both come from a short fixed list, so the series stay few; nothing of the org, the flow or its data is a label.
 */
export function runLabels(plan: RunIdentity): { flow_spec: string; provider: string } {
  const connectionSpec = plan.source.specId === undefined ? undefined : findConnectionSpec(plan.source.specId);
  return {
    flow_spec: findFlowSpec(plan.flowSpec.id)?.name ?? otherLabel,
    provider: connectionSpec ? providerLabel(connectionSpec.name) : otherLabel,
  };
}
