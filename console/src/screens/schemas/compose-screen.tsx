import { useState } from 'preact/hooks';
import { Link, useSearch } from 'wouter-preact';
import type { Scope } from '../../api/client.js';
import { readResource, xedFull, type CreatedResource } from '../../api/schema-registry.js';
import { useApi } from '../../state/use-api.js';
import { LoadedView } from '../../ui/states.js';
import { SchemaTree, type SchemaProperty } from '../datasets/schema-tree.js';
import { CreateDataSetForm } from './create-dataset-form.js';
import { resourceHref } from './registry-kinds.js';
import { SchemaComposer } from './schema-composer.js';
import '../datasets/datasets.css';
import './schemas.css';

/** `/schemas/new`: compose a schema from a class and field groups, then see the fields it has. */
export function ComposeScreen({ scope }: { scope: Scope }) {
  const initialClassId = new URLSearchParams(useSearch()).get('class') ?? undefined;
  const [created, setCreated] = useState<CreatedResource>();
  return (
    <section aria-labelledby="compose-title" class="schemas">
      <p class="breadcrumb">
        <Link href="/schemas">Schemas</Link> /
      </p>
      <h1 id="compose-title">Compose a schema</h1>
      {created ? (
        <>
          <Created scope={scope} schema={created} />
          <button type="button" class="secondary" onClick={() => setCreated(undefined)}>
            Compose another schema
          </button>
        </>
      ) : (
        <>
          <p class="hint">A schema is one class (what the records are: people, events…) and field groups that add fields to it.</p>
          <SchemaComposer scope={scope} {...(initialClassId ? { initialClassId } : {})} onCreated={({ schema }) => setCreated(schema)} />
        </>
      )}
    </section>
  );
}

/** The schema just made: its fields as the registry resolves them, and a dataset on it. */
function Created({ scope, schema }: { scope: Scope; schema: CreatedResource }) {
  const loaded = useApi(scope, (s, signal) => readResource<{ properties?: Record<string, SchemaProperty> }>(s, 'tenant', 'schemas', schema.$id, xedFull, signal), [schema.$id]);
  return (
    <>
      <p class="success" role="status">
        Schema “{schema.title}” created. <Link href={resourceHref('tenant', 'schemas', schema['meta:altId'])}>Open its page</Link>
      </p>
      <section aria-labelledby="created-fields-title" class="panel">
        <h2 id="created-fields-title">Its fields</h2>
        <LoadedView loaded={loaded} what="the schema's fields">
          {(full) => <SchemaTree properties={full.properties} />}
        </LoadedView>
      </section>
      <section aria-labelledby="created-dataset-title" class="panel">
        <h2 id="created-dataset-title">A dataset on it</h2>
        <CreateDataSetForm scope={scope} schemaId={schema.$id} schemaTitle={schema.title} />
      </section>
    </>
  );
}
