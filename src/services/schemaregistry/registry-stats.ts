import type { RequestContext } from '../../server/gateway/request-context.js';
import type { ResourcesRepository } from '../../store/resources.repository.js';
import { byCreation, storedXdmDocument, type StoredXdmDocument } from './registry.repository.js';
import type { RegistryDocumentsRepository } from './registry-documents.repository.js';
import { schemaKind } from './registry-types.js';

/** The kinds `/stats` reports on, in the order its lists break ties of time in. */
const statsKinds = [schemaKind, 'xdm.mixins', 'xdm.datatypes', 'xdm.classes'] as const;
/** How many resources each "recently" list shows. */
const recentCount = 5;

/**
 * `GET /stats`: the counts of the sandbox's own resources, the latest created and updated, and the schemas of each
 * class. Counted in SQL, the latest read five a kind, the schemas read 500 at a time keeping their summaries only,
 * and unions counted as the classes of the Profile schemas, from their index rows: no step holds the sandbox's
 * every document.
 */
export async function registryStats(resources: ResourcesRepository, ctx: Pick<RequestContext, 'orgId' | 'tenantId' | 'scope'>, index: RegistryDocumentsRepository): Promise<Record<string, unknown>> {
  const { scope } = ctx;
  const [schemas = 0, mixins = 0, datatypes = 0, classes = 0] = await Promise.all(statsKinds.map((kind) => resources.count(kind, scope)));
  const latest = async (by: 'created_at' | 'updated_at', time: (s: StoredXdmDocument) => number) => {
    const perKind = await Promise.all(statsKinds.map(async (kind, order) => (await resources.latest(kind, scope, by, recentCount)).map((stored) => ({ order, doc: storedXdmDocument(stored) }))));
    const candidates = perKind.flat().sort((a, b) => time(b.doc) - time(a.doc) || a.order - b.order || (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0));
    return candidates.slice(0, recentCount).map(({ doc }) => summary(doc));
  };
  const members: { createdAt: number; id: string; classId: string; entry: Record<string, unknown> }[] = [];
  for await (const stretch of resources.inStretches(schemaKind, scope)) {
    for (const schema of stretch.map(storedXdmDocument)) {
      const doc = schema.body;
      members.push({ createdAt: schema.createdAt, id: schema.id, classId: String(doc['meta:class']), entry: { $id: doc.$id, title: doc.title, description: doc.description } });
    }
  }
  // In the order of creation, as the registry lists its schemas.
  members.sort(byCreation);
  const classUsage: Record<string, Record<string, unknown>[]> = {};
  for (const member of members) (classUsage[member.classId] ??= []).push(member.entry);
  return {
    imsOrg: ctx.orgId,
    tenantId: ctx.tenantId,
    counts: { schemas, mixins, datatypes, classes, unions: await index.unionCount(scope, schemaKind) },
    recentlyCreatedResources: await latest('created_at', (s) => s.createdAt),
    recentlyUpdatedResources: await latest('updated_at', (s) => s.updatedAt),
    classUsage,
  };
}

function summary(stored: StoredXdmDocument): Record<string, unknown> {
  const doc = stored.body;
  return { title: doc.title, description: doc.description, 'meta:resourceType': doc['meta:resourceType'], 'meta:altId': doc['meta:altId'], version: doc.version, $id: doc.$id, createdDate: stored.createdAt, updatedDate: stored.updatedAt };
}
