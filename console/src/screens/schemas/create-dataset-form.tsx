import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import type { Scope } from '../../api/client.js';
import { createDataSet } from '../../api/new-dataset.js';
import { ProblemNotice } from '../../ui/states.js';

/** "Create a dataset" on a schema: a Catalog dataset whose `schemaRef` names it. */
export function CreateDataSetForm({ scope, schemaId, schemaTitle, onCreated }: { scope: Scope; schemaId: string; schemaTitle: string; onCreated?: () => void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Error>();
  const [created, setCreated] = useState<{ id: string; name: string }>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const id = await createDataSet(scope, name.trim(), schemaId);
      setCreated({ id, name: name.trim() });
      setName('');
      onCreated?.();
    } catch (error) {
      setProblem(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} aria-label={`Create a dataset on ${schemaTitle}`}>
      <label>
        Dataset name
        <input value={name} required maxLength={256} onInput={(e) => setName(e.currentTarget.value)} placeholder={`${schemaTitle} dataset`} />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create a dataset'}
      </button>
      {problem ? <ProblemNotice error={problem} /> : null}
      {created ? (
        <p class="success" role="status">
          Dataset created: <Link href={`/datasets/${created.id}`}>{created.name}</Link> <code>{created.id}</code>
        </p>
      ) : null}
    </form>
  );
}
