import { Link } from 'wouter-preact';
import { listCatalog, type DataSet } from '../../api/catalog.js';
import type { Scope } from '../../api/client.js';
import { readResource, xedFull, xedPlain, type Container, type RegistryKind } from '../../api/schema-registry.js';
import { useApi } from '../../state/use-api.js';
import { LoadedView } from '../../ui/states.js';
import { SchemaTree, type SchemaProperty } from '../datasets/schema-tree.js';
import { CreateDataSetForm } from './create-dataset-form.js';
import { containerNames, containerOf, kindOf } from './registry-kinds.js';
import { ResourceRefs } from './resource-refs.js';
import '../datasets/datasets.css';
import './schemas.css';

/** The parts of a resource (XED full form) the page shows. */
interface FullResource {
  $id: string;
  'meta:altId'?: string;
  title?: string;
  description?: string;
  version?: string;
  'meta:status'?: string;
  'meta:class'?: string;
  'meta:intendedToExtend'?: string[];
  properties?: Record<string, SchemaProperty>;
}

interface Loaded {
  full: FullResource;
  /** A schema's field groups, from its stored `allOf` (the full form has them merged away). */
  fieldGroupIds: string[];
}

async function readPage(scope: Scope, container: Container, kind: RegistryKind, id: string, signal: AbortSignal): Promise<Loaded> {
  const [full, plain] = await Promise.all([
    readResource<FullResource>(scope, container, kind, id, xedFull, signal),
    kind === 'schemas' ? readResource<{ allOf?: { $ref?: string }[]; 'meta:class'?: string }>(scope, container, kind, id, xedPlain, signal) : Promise.resolve(undefined),
  ]);
  const refs = (plain?.allOf ?? []).map((entry) => entry.$ref).filter((ref): ref is string => typeof ref === 'string');
  return { full, fieldGroupIds: [...new Set(refs.filter((ref) => ref !== (plain?.['meta:class'] ?? full['meta:class'])))] };
}

/** One class, field group, data type or schema: its facts, what it builds on, and its fields as a tree. */
export function ResourcePage({ scope, container: containerSegment, kind: kindSegment, id }: { scope: Scope; container: string; kind: string; id: string }) {
  const kind = kindOf(kindSegment);
  const container = containerOf(containerSegment);
  const loaded = useApi(scope, (s, signal) => (kind && container ? readPage(s, container, kind.kind, id, signal) : Promise.reject(new Error(`There is no “${containerSegment}/${kindSegment}” in the Schema Registry.`))), [containerSegment, kindSegment, id]);
  return (
    <section aria-labelledby="resource-title" class="schemas">
      <p class="breadcrumb">
        <Link href="/schemas">Schemas</Link> /{' '}
        {kind && container ? (
          <>
            <Link href={`/schemas/${container}/${kind.kind}`}>
              {kind.plural} ({containerNames[container]})
            </Link>{' '}
            /
          </>
        ) : null}
      </p>
      <LoadedView loaded={loaded} what={`the ${kind?.one ?? 'resource'}`}>
        {(page) => kind && container && <ResourceView scope={scope} container={container} kind={kind.kind} kindName={kind.one} page={page} />}
      </LoadedView>
    </section>
  );
}

function ResourceView({ scope, container, kind, kindName, page }: { scope: Scope; container: Container; kind: RegistryKind; kindName: string; page: Loaded }) {
  const resource = page.full;
  const title = resource.title ?? resource['meta:altId'] ?? resource.$id;
  const intended = resource['meta:intendedToExtend'] ?? [];
  return (
    <>
      <div class="title-row">
        <h1 id="resource-title">{title}</h1>
        {kind === 'classes' && resource['meta:altId'] ? (
          <Link class="button-link" href={`/schemas/new?${new URLSearchParams({ class: resource.$id }).toString()}`}>
            Compose a schema from this class
          </Link>
        ) : null}
      </div>
      {resource.description ? <p>{resource.description}</p> : null}
      <dl class="facts">
        <dt>Kind</dt>
        <dd>
          {kindName} ({containerNames[container]})
        </dd>
        <dt>Id</dt>
        <dd>
          <code>{resource.$id}</code>
        </dd>
        <dt>Alt id</dt>
        <dd>
          <code>{resource['meta:altId'] ?? '—'}</code>
        </dd>
        <dt>Version</dt>
        <dd>{resource.version ?? '—'}</dd>
        {resource['meta:status'] ? (
          <>
            <dt>Status</dt>
            <dd>{resource['meta:status']}</dd>
          </>
        ) : null}
      </dl>
      {kind === 'fieldgroups' ? (
        <section aria-labelledby="extends-title" class="panel">
          <h2 id="extends-title">Classes it extends</h2>
          {intended.length === 0 ? <p class="hint">Any class: this field group names no class it is meant for.</p> : <ResourceRefs scope={scope} kind="classes" ids={intended} label="Classes it extends" />}
        </section>
      ) : null}
      {kind === 'schemas' ? (
        <section aria-labelledby="composition-title" class="panel">
          <h2 id="composition-title">Composition</h2>
          <h3>Class</h3>
          {resource['meta:class'] ? <ResourceRefs scope={scope} kind="classes" ids={[resource['meta:class']]} label="Class" /> : <p class="hint">None named.</p>}
          <h3>Field groups</h3>
          {page.fieldGroupIds.length === 0 ? <p class="hint">None: the class's fields alone.</p> : <ResourceRefs scope={scope} kind="fieldgroups" ids={page.fieldGroupIds} label="Field groups" />}
        </section>
      ) : null}
      <section aria-labelledby="fields-title" class="panel">
        <h2 id="fields-title">Fields</h2>
        <SchemaTree properties={resource.properties} />
      </section>
      {kind === 'schemas' ? <SchemaDataSets scope={scope} schemaId={resource.$id} schemaTitle={title} /> : null}
    </>
  );
}

/** The datasets on a schema, and "Create a dataset" on it. */
function SchemaDataSets({ scope, schemaId, schemaTitle }: { scope: Scope; schemaId: string; schemaTitle: string }) {
  const loaded = useApi(scope, (s, signal) => listCatalog<DataSet>(s, 'dataSets', { property: `schemaRef.id==${schemaId}`, properties: 'name,schemaRef' }, signal, 1), [schemaId]);
  return (
    <section aria-labelledby="datasets-title" class="panel">
      <h2 id="datasets-title">Datasets on this schema</h2>
      <LoadedView loaded={loaded} what="the datasets">
        {({ items, more }) =>
          items.length === 0 ? (
            <p class="empty">No dataset uses this schema yet.</p>
          ) : (
            <ul class="refs" aria-label="Datasets on this schema">
              {items.map((d) => (
                <li key={d.id}>
                  <Link href={`/datasets/${d.id}`}>{d.name ?? d.id}</Link> <code>{d.id}</code>
                </li>
              ))}
              {more ? <li class="hint">The first {items.length} are shown.</li> : null}
            </ul>
          )
        }
      </LoadedView>
      <CreateDataSetForm scope={scope} schemaId={schemaId} schemaTitle={schemaTitle} onCreated={loaded.reload} />
    </section>
  );
}
