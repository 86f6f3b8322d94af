import type { FlowEnv } from './flow-collection.js';

/** Flows keep index rows beside their bodies, so the store names their kind. */
export { flowKind } from '../../store/flow-index.js';

/** The flows whose `field` (sourceConnectionIds or targetConnectionIds) contains `id`, as "flow <id>": one indexed read. */
export async function flowsUsing(env: FlowEnv, field: 'sourceConnectionIds' | 'targetConnectionIds', id: string): Promise<string[]> {
  const ids = await env.flows.using(env.ctx.scope, field === 'sourceConnectionIds' ? 'source' : 'target', id);
  return ids.map((flowId) => `flow ${flowId}`);
}
