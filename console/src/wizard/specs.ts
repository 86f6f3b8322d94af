import { listAll, type Scope } from '../api/client.js';

/** A JSON Schema as connection and flow specs carry them: only what the forms read. */
export interface JsonSchema {
  type?: string;
  description?: string;
  format?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

export interface ConnectionSpec {
  id: string;
  name: string;
  attributes?: { category?: unknown; isSource?: unknown };
  authSpec?: { name: string; type?: string; spec: JsonSchema }[];
  sourceSpec?: { spec?: JsonSchema; attributes?: { uiAttributes?: { category?: { key?: unknown } } } };
}

export interface FlowSpec {
  id: string;
  name: string;
  sourceConnectionSpecIds: string[];
  targetConnectionSpecIds: string[];
  transformationSpecs?: { name: string }[];
}

/** The Data Lake's connection spec: every dataflow's target. */
export const dataLakeSpecId = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c';

/** The connection spec and the batch flow spec that reads it into the Data Lake. */
export async function readSpecs(scope: Scope, specId: string, signal: AbortSignal): Promise<{ spec: ConnectionSpec; flowSpec: FlowSpec | undefined }> {
  const [specs, flowSpecs] = await Promise.all([listAll<ConnectionSpec>(scope, '/connectionSpecs', signal), listAll<FlowSpec>(scope, '/flowSpecs', signal)]);
  const spec = specs.find((s) => s.id === specId);
  if (!spec) throw new Error(`This server has no connection spec ${specId}.`);
  const flowSpec = flowSpecs.find((f) => f.sourceConnectionSpecIds.includes(specId) && f.targetConnectionSpecIds.includes(dataLakeSpecId) && (f.transformationSpecs ?? []).some((t) => t.name === 'Mapping'));
  return { spec, flowSpec };
}

/** Field names whose values are credentials: masked as they are typed, and never shown again. */
export function isSecretField(name: string, schema: JsonSchema): boolean {
  return schema.format === 'password' || /secret|password|token|key$/i.test(name);
}

/**
 * The `data.format` of a source connection on a table: AEP's CRM flow (PayPal, Square) reads tables as `tabular`;
 * the REST flow (Stripe) reads a resource's records as `json`.
 */
export function tableFormatOf(flowSpec: FlowSpec): 'tabular' | 'json' {
  return flowSpec.name === 'CRMToAEP' ? 'tabular' : 'json';
}
