import type { MappingRule } from '../../mapping/mapping-rule.js';
import { isRecord } from '../../server/errors/problem-list.js';
import type { ResourcesRepository } from '../../store/resources.repository.js';
import type { JsonObject } from '../../xdm/standard/json-value.js';
import { findDataSet, type DataSetRecord } from '../catalog/datasets.js';
import { mappingRules } from '../conversion/mapping-sets.js';
import { findStreamingFlow, type StreamingFlow, type StreamingInlet } from '../flowservice/streaming-flows.js';
import { loadSchema, type ResolvedSchema } from '../schemaregistry/schema-access.js';

/** Where a streamed record lands and how it is mapped; records with the same target land in the same batches. */
export interface StreamTarget {
  connectionId: string;
  dataSetId: string;
  flowId?: string | undefined;
  mapping?: { id: string; version: number } | undefined;
}

/** A message the inlet accepted: its record, where it goes, and what validates it. */
export interface AcceptedMessage {
  record: JsonObject;
  target: StreamTarget;
  schema: ResolvedSchema;
  rules: MappingRule[] | undefined;
}

/** The key records are grouped by in the queue: a JSON object with its keys in a fixed order. */
export function targetKey(target: StreamTarget): string {
  return JSON.stringify({ connectionId: target.connectionId, dataSetId: target.dataSetId, flowId: target.flowId ?? null, mapping: target.mapping ?? null });
}

export function parseTargetKey(key: string): StreamTarget {
  const parsed = JSON.parse(key) as { connectionId: string; dataSetId: string; flowId: string | null; mapping: { id: string; version: number } | null };
  return { connectionId: parsed.connectionId, dataSetId: parsed.dataSetId, flowId: parsed.flowId ?? undefined, mapping: parsed.mapping ?? undefined };
}

/**
 * Reads the messages posted to one inlet and checks what the Data Collection service checks before it accepts
 * a message (docs ingestion/tutorials/streaming-multiple-messages.md): an XDM message has a header and a body
 * with an `xdmEntity`, its `imsOrgId` (when given) is the inlet's org, its dataset exists and has the schema
 * its `schemaRef` names; a dataflow named by `flowId` (header, `x-adobe-flow-id` header or query) takes this
 * inlet's records and gives the dataset and the mapping. A raw inlet's message is the record itself and needs
 * a dataflow. The record's own fields are validated later (or at once with `syncValidation`).
 */
export class StreamMessages {
  private readonly dataSets = new Map<string, Promise<DataSetRecord | undefined>>();
  private readonly schemas = new Map<string, Promise<ResolvedSchema | undefined>>();
  private readonly flows = new Map<string, Promise<StreamingFlow | undefined>>();
  private readonly rules = new Map<string, Promise<MappingRule[] | undefined>>();

  constructor(private readonly repo: ResourcesRepository, private readonly inlet: StreamingInlet, private readonly requestFlowId: string | undefined) {}

  /** The accepted message, or the reason it is refused, worded as the Data Collection service words it. */
  async read(message: unknown): Promise<AcceptedMessage | { refused: string }> {
    const refuse = (reason: string) => ({ refused: `inletId: [${this.inlet.inletId}] imsOrgId: [${this.inlet.scope.orgId}] ${reason}` });
    if (!isRecord(message)) return refuse('Message is not a JSON object');
    // Messages come from a parsed JSON body, so every value in them is JSON.
    if (this.inlet.dataType === 'raw') return this.accept(message as JsonObject, undefined, this.requestFlowId, undefined, refuse);
    const header = message.header;
    const body = message.body;
    if (!isRecord(header) || !isRecord(body) || !isRecord(body.xdmEntity)) return refuse('Message has unknown xdm format: it needs a header and a body with an xdmEntity');
    if (header.imsOrgId !== undefined && header.imsOrgId !== this.inlet.scope.orgId) return refuse('Message has an absent or wrong ims org in the header');
    const flowId = typeof header.flowId === 'string' ? header.flowId : this.requestFlowId;
    const schemaRef = isRecord(header.schemaRef) ? header.schemaRef : isRecord(body.xdmMeta) && isRecord(body.xdmMeta.schemaRef) ? body.xdmMeta.schemaRef : undefined;
    const dataSetId = typeof header.datasetId === 'string' ? header.datasetId : undefined;
    return this.accept(body.xdmEntity as JsonObject, dataSetId, flowId, typeof schemaRef?.id === 'string' ? schemaRef.id : undefined, refuse);
  }

  private async accept(record: JsonObject, dataSetId: string | undefined, flowId: string | undefined, schemaId: string | undefined, refuse: (reason: string) => { refused: string }): Promise<AcceptedMessage | { refused: string }> {
    const flow = flowId ? await this.cached(this.flows, flowId, () => findStreamingFlow(this.repo, this.inlet.scope, flowId)) : undefined;
    if (flowId && !flow) return refuse(`Message names dataflow ${flowId}, which does not exist in the inlet's sandbox`);
    if (flow && !flow.baseConnectionIds.includes(this.inlet.connectionId)) return refuse(`Dataflow ${flow.id} does not take the records of this inlet`);
    if (flow && !flow.enabled) return refuse(`Dataflow ${flow.id} is disabled`);
    if (this.inlet.dataType === 'raw' && !flow) return refuse('A raw message needs the id of its dataflow: send x-adobe-flow-id as a header or query parameter');
    const target = dataSetId ?? flow?.dataSetId;
    if (!target) return refuse('Message has no datasetId in its header, and no flowId of a dataflow with a target dataset');
    if (dataSetId && flow?.dataSetId && dataSetId !== flow.dataSetId) return refuse(`Message names dataset ${dataSetId}, but dataflow ${flow.id} lands in dataset ${flow.dataSetId}`);
    const dataSet = await this.cached(this.dataSets, target, () => findDataSet(this.repo, this.inlet.scope, target));
    if (!dataSet) return refuse(`Message names dataset ${target}, which does not exist in the inlet's sandbox`);
    const schema = await this.cached(this.schemas, dataSet.schemaRef.id, () => loadSchema(this.repo, this.inlet.scope, dataSet.schemaRef.id));
    if (!schema) return refuse(`The schema ${dataSet.schemaRef.id} of dataset ${dataSet.id} no longer exists`);
    const mapping = flow?.mapping;
    if (!mapping && schemaId !== undefined) {
      const named = await this.cached(this.schemas, schemaId, () => loadSchema(this.repo, this.inlet.scope, schemaId));
      if (named?.id !== schema.id) return refuse(`Message has unknown xdm format: its schemaRef ${schemaId} is not the schema ${schema.id} of dataset ${dataSet.id}`);
    }
    const rules = mapping ? await this.cached(this.rules, `${mapping.id}@${mapping.version}`, () => mappingRules(this.repo, this.inlet.scope, mapping.id, mapping.version)) : undefined;
    if (mapping && !rules) return refuse(`The mapping set ${mapping.id} version ${mapping.version} of dataflow ${flow?.id ?? ''} no longer exists`);
    return { record, schema, rules, target: { connectionId: this.inlet.connectionId, dataSetId: dataSet.id, flowId: flow?.id, mapping } };
  }

  private cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let found = cache.get(key);
    if (!found) {
      found = load();
      cache.set(key, found);
    }
    return found;
  }
}
