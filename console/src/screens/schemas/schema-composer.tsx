import { useMemo, useState } from 'preact/hooks';
import type { Scope } from '../../api/client.js';
import { createDataSet } from '../../api/new-dataset.js';
import { classLineage, createSchema, readRegistryAll, type Container, type CreatedResource, type ResourceSummary } from '../../api/schema-registry.js';
import { useApi } from '../../state/use-api.js';
import { LoadedView, ProblemNotice } from '../../ui/states.js';
import './schemas.css';

/** What the composer made: the schema, and the dataset on it when it was asked for one. */
export interface Composed {
  schema: CreatedResource;
  dataSet?: { id: string; name: string };
}

type Choice = ResourceSummary & { container: Container };

async function readClasses(scope: Scope, signal: AbortSignal): Promise<Choice[]> {
  const [own, standard] = await Promise.all([readRegistryAll(scope, 'tenant', 'classes', [], signal), readRegistryAll(scope, 'global', 'classes', [], signal)]);
  return [...own.map((c) => ({ ...c, container: 'tenant' as const })), ...standard.map((c) => ({ ...c, container: 'global' as const }))];
}

/**
 * The field groups a class can take, as the registry decides it: those meant for the class or one it extends,
 * and those meant for no class in particular. Asked of the registry with filters, not read whole: the standard
 * library has 380 field groups.
 */
async function readFieldGroups(scope: Scope, chosen: Choice, signal: AbortSignal): Promise<Choice[]> {
  const lineage = await classLineage(scope, chosen.container, chosen.$id, signal);
  const filters = [[`meta:intendedToExtend==${lineage.join(',')}`], ['!meta:intendedToExtend']];
  const lists = await Promise.all(
    (['tenant', 'global'] as const).flatMap((container) => filters.map(async (filter) => (await readRegistryAll(scope, container, 'fieldgroups', filter, signal)).map((g) => ({ ...g, container })))),
  );
  const byId = new Map<string, Choice>();
  for (const group of lists.flat()) if (!byId.has(group.$id)) byId.set(group.$id, group);
  return [...byId.values()].sort((a, b) => (a.title ?? '').localeCompare(b.title ?? ''));
}

/**
 * A schema composed from a class and field groups that fit it, created with `POST /tenant/schemas`; with
 * `withDataSet`, a dataset on it too. A dataset refused after its schema was made is asked for again alone.
 */
export function SchemaComposer({ scope, withDataSet = false, initialClassId, onCreated }: { scope: Scope; withDataSet?: boolean; initialClassId?: string; onCreated: (composed: Composed) => void }) {
  const classes = useApi(scope, readClasses);
  return (
    <LoadedView loaded={classes} what="the classes">
      {(list) => <ComposerForm scope={scope} classes={list} withDataSet={withDataSet} initialClassId={initialClassId} onCreated={onCreated} />}
    </LoadedView>
  );
}

function ComposerForm({ scope, classes, withDataSet, initialClassId, onCreated }: { scope: Scope; classes: Choice[]; withDataSet: boolean; initialClassId: string | undefined; onCreated: (composed: Composed) => void }) {
  const [classId, setClassId] = useState(classes.some((c) => c.$id === initialClassId) ? (initialClassId as string) : '');
  const [chosen, setChosen] = useState<readonly Choice[]>([]);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [dataSetName, setDataSetName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Error>();
  // A schema made on an earlier try whose dataset was refused: the next try makes the dataset alone.
  const [made, setMade] = useState<CreatedResource>();
  const chosenClass = classes.find((c) => c.$id === classId);
  const own = classes.filter((c) => c.container === 'tenant');
  const standard = classes.filter((c) => c.container === 'global');

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!chosenClass) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const schema = made ?? (await createSchema(scope, { title: title.trim(), description: description.trim(), classId: chosenClass.$id, fieldGroupIds: chosen.map((g) => g.$id) }));
      setMade(schema);
      if (!withDataSet) {
        onCreated({ schema });
        return;
      }
      const name = dataSetName.trim();
      onCreated({ schema, dataSet: { id: await createDataSet(scope, name, schema.$id), name } });
    } catch (error) {
      setProblem(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="composer" onSubmit={submit} aria-label="Compose a schema">
      <fieldset disabled={made !== undefined} class="composition">
        <legend class="sr-only">The class, field groups and title</legend>
        <label>
          Class
          <select
            aria-label="Class"
            value={classId}
            required
            onChange={(e) => {
              setClassId(e.currentTarget.value);
              setChosen([]);
            }}
          >
            <option value="">Choose a class…</option>
            {own.length > 0 ? (
              <optgroup label="This sandbox">
                {own.map((c) => (
                  <option key={c.$id} value={c.$id}>
                    {c.title ?? c['meta:altId']}
                  </option>
                ))}
              </optgroup>
            ) : null}
            <optgroup label="Standard library">
              {standard.map((c) => (
                <option key={c.$id} value={c.$id}>
                  {c.title ?? c['meta:altId']}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        {chosenClass ? <FieldGroupPicker key={chosenClass.$id} scope={scope} chosenClass={chosenClass} chosen={chosen} setChosen={setChosen} /> : <p class="hint">Choose a class to see the field groups that fit it.</p>}
        <label>
          Schema title
          <input value={title} required maxLength={256} onInput={(e) => setTitle(e.currentTarget.value)} placeholder="e.g. Customers from the CRM" />
        </label>
        <label>
          Description (optional)
          <input value={description} maxLength={1000} onInput={(e) => setDescription(e.currentTarget.value)} />
        </label>
      </fieldset>
      {made ? (
        <p class="success" role="status">
          Schema “{made.title}” created (<code>{made.$id}</code>).
        </p>
      ) : null}
      {withDataSet ? (
        <label>
          Dataset name
          <input value={dataSetName} required maxLength={256} onInput={(e) => setDataSetName(e.currentTarget.value)} placeholder="e.g. Customers" />
        </label>
      ) : null}
      {problem ? <ProblemNotice error={problem} /> : null}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : made ? 'Create the dataset' : withDataSet ? 'Create the schema and dataset' : 'Create the schema'}
        </button>
      </div>
    </form>
  );
}

/** The field groups that fit the class, with a search, as checkboxes; those chosen are listed with a way out. */
function FieldGroupPicker({ scope, chosenClass, chosen, setChosen }: { scope: Scope; chosenClass: Choice; chosen: readonly Choice[]; setChosen: (next: readonly Choice[]) => void }) {
  const groups = useApi(scope, (s, signal) => readFieldGroups(s, chosenClass, signal), [chosenClass.$id]);
  const [search, setSearch] = useState('');
  const wanted = search.trim().toLowerCase();
  const isChosen = (group: Choice) => chosen.some((g) => g.$id === group.$id);
  const toggle = (group: Choice) => setChosen(isChosen(group) ? chosen.filter((g) => g.$id !== group.$id) : [...chosen, group]);
  const className = chosenClass.title ?? chosenClass['meta:altId'];
  return (
    <fieldset class="field-groups">
      <legend>Field groups for {className}</legend>
      {chosen.length > 0 ? (
        <ul class="chosen" aria-label="Chosen field groups">
          {chosen.map((group) => (
            <li key={group.$id}>
              {group.title ?? group['meta:altId']}{' '}
              <button type="button" class="link" aria-label={`Remove ${group.title ?? group['meta:altId']}`} onClick={() => toggle(group)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="hint">None chosen: the schema will have the class's fields only.</p>
      )}
      <LoadedView loaded={groups} what="the field groups">
        {(list) => <GroupList list={list} wanted={wanted} search={search} setSearch={setSearch} isChosen={isChosen} toggle={toggle} className={className} />}
      </LoadedView>
    </fieldset>
  );
}

function GroupList({ list, wanted, search, setSearch, isChosen, toggle, className }: { list: Choice[]; wanted: string; search: string; setSearch: (text: string) => void; isChosen: (g: Choice) => boolean; toggle: (g: Choice) => void; className: string }) {
  const shown = useMemo(() => list.filter((g) => wanted === '' || `${g.title ?? ''} ${g['meta:altId']}`.toLowerCase().includes(wanted)), [list, wanted]);
  if (list.length === 0) return <p class="empty">No field group is meant for {className}.</p>;
  return (
    <>
      <label class="search">
        Find a field group ({list.length} fit)
        <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} placeholder="e.g. contact" />
      </label>
      {shown.length === 0 ? (
        <p class="empty">No field group matches “{search}”.</p>
      ) : (
        <ul class="group-list" aria-label="Field groups that fit">
          {shown.map((group) => (
            <li key={group.$id}>
              <label class="checkbox">
                <input type="checkbox" checked={isChosen(group)} onChange={() => toggle(group)} />
                {group.title ?? group['meta:altId']}
                {group.container === 'tenant' ? <small class="own">this sandbox</small> : null}
              </label>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
