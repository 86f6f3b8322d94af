import { flowBody, type FlowEnv } from './flow-collection.js';

export const flowKind = 'flowservice.flow';

/** The flows whose `field` (sourceConnectionIds or targetConnectionIds) contains `id`, as "flow <id>". */
export async function flowsUsing(env: FlowEnv, field: 'sourceConnectionIds' | 'targetConnectionIds', id: string): Promise<string[]> {
  const flows = await env.repo.list(flowKind, env.ctx.scope);
  return flows.filter((f) => {
    const ids = flowBody(f)[field];
    return Array.isArray(ids) && ids.includes(id);
  }).map((f) => `flow ${f.id}`);
}
