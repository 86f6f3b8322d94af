import { useMemo, useState } from 'preact/hooks';
import { request, type Scope } from '../api/client.js';
import { useApi } from '../state/use-api.js';
import { LoadedView, ProblemNotice } from '../ui/states.js';
import { cellText } from '../ui/flat-rows.js';
import type { Column } from './data-step.js';
import { matchByName, readXdmFields, type XdmField } from './xdm-fields.js';

/** One rule of the mapping set: a source column, or a Data Prep expression, written to an XDM field. */
export interface MappingRule {
  sourceType: 'ATTRIBUTE' | 'EXPRESSION';
  source: string;
  destination: string;
}

interface Validation {
  validationResponse: { status: 'SUCCESS' | 'FAILED'; errors: { exception: string }[] }[];
}

/** One sample row as the mapping set lands it, or why it would be rejected. */
interface PreviewRow {
  data: Record<string, unknown> | null;
  errors: { destination: string; exception: string }[] | null;
}

const schemaRef = (schemaId: string) => ({ schemaRef: { id: schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } });

function valueAt(data: Record<string, unknown> | null, path: string): unknown {
  let value: unknown = data;
  for (const part of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/**
 * Step 4: the source columns beside the target's XDM fields, matched by name to start with, with calculated fields
 * in the Data Prep language. Every rule is checked by the mapping-set validation endpoint before going on.
 */
export function MappingStep({ scope, schemaId, columns, rows, onChosen }: { scope: Scope; schemaId: string; columns: Column[]; rows: Record<string, unknown>[]; onChosen: (rules: MappingRule[]) => void }) {
  const fields = useApi(scope, (s, signal) => readXdmFields(s, schemaId, signal), [schemaId]);
  return (
    <section aria-labelledby="mapping-title">
      <h2 id="mapping-title">Mapping</h2>
      <LoadedView loaded={fields} what="the target schema's fields">
        {(list) => <MappingTable scope={scope} schemaId={schemaId} columns={columns} rows={rows} fields={list} onChosen={onChosen} />}
      </LoadedView>
    </section>
  );
}

function MappingTable({ scope, schemaId, columns, rows, fields, onChosen }: { scope: Scope; schemaId: string; columns: Column[]; rows: Record<string, unknown>[]; fields: XdmField[]; onChosen: (rules: MappingRule[]) => void }) {
  const [rules, setRules] = useState<MappingRule[]>(() => columns.map((c) => ({ sourceType: 'ATTRIBUTE', source: c.name, destination: matchByName(c.name, fields)?.path ?? '' })));
  const [search, setSearch] = useState('');
  const [verdicts, setVerdicts] = useState<(string | undefined)[]>([]);
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<{ rules: MappingRule[]; rows: PreviewRow[] } | undefined>();
  const shown = useMemo(() => fields.filter((f) => search === '' || f.path.toLowerCase().includes(search.toLowerCase())), [fields, search]);
  const update = (index: number, change: Partial<MappingRule>) => {
    setPreview(undefined);
    setRules(rules.map((rule, i) => (i === index ? { ...rule, ...change } : rule)));
  };
  const mapped = rules.filter((rule) => rule.destination !== '' && rule.source.trim() !== '');

  const validate = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await request<Validation>(scope, 'POST', '/data/foundation/conversion/mappingSets/validate', { body: { outputSchema: schemaRef(schemaId), mappings: mapped } });
      const byRule = new Map(mapped.map((rule, i) => [rule, answer.validationResponse[i]]));
      const found = rules.map((rule) => {
        const verdict = byRule.get(rule);
        return verdict && verdict.status === 'FAILED' ? verdict.errors.map((e) => e.exception).join('; ') : undefined;
      });
      setVerdicts(found);
      if (found.some((v) => v !== undefined)) return;
      const landed = rows.length === 0 ? [] : await request<PreviewRow[]>(scope, 'POST', '/data/foundation/conversion/mappingSets/preview', { body: { data: rows, mappingSet: { outputSchema: schemaRef(schemaId), mappings: mapped } } });
      setPreview({ rules: mapped, rows: landed });
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div class="title-row">
        <label class="search">
          Filter the target fields
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        <button type="button" class="secondary" onClick={() => setRules(rules.map((r) => (r.sourceType === 'ATTRIBUTE' && r.destination === '' ? { ...r, destination: matchByName(r.source, fields)?.path ?? '' } : r)))}>
          Match the rest by name
        </button>
      </div>
      <table class="mapping" aria-label="Mapping rules">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Target field</th>
            <th scope="col">Check</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, index) => (
            <tr key={index}>
              <td>
                {rule.sourceType === 'ATTRIBUTE' ? (
                  <code>{rule.source}</code>
                ) : (
                  <label>
                    Expression {index + 1}
                    <input class="mono" value={rule.source} placeholder="concat(first, ' ', last)" onInput={(e) => update(index, { source: e.currentTarget.value })} />
                  </label>
                )}
              </td>
              <td>
                <select
                  aria-label={`Target field for ${rule.sourceType === 'ATTRIBUTE' ? rule.source : `expression ${index + 1}`}`}
                  value={rule.destination}
                  onChange={(e) => update(index, { destination: e.currentTarget.value })}
                >
                  <option value="">Not mapped</option>
                  {(shown.some((f) => f.path === rule.destination) || rule.destination === '' ? shown : [...shown, { path: rule.destination, type: '' }]).map((f) => (
                    <option key={f.path} value={f.path}>
                      {f.path} {f.type ? `(${f.type})` : ''}
                    </option>
                  ))}
                </select>
              </td>
              <td>{verdicts[index] ? <span class="problem-text" role="alert">{verdicts[index]}</span> : rule.destination ? '✓' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => setRules([...rules, { sourceType: 'EXPRESSION', source: '', destination: '' }])}>
          Add a calculated field
        </button>
        <button type="button" disabled={busy || mapped.length === 0} onClick={() => void validate()}>
          Check and preview
        </button>
      </div>
      {error ? <ProblemNotice error={error} /> : null}
      {preview ? (
        <>
          <h3>The first rows as they will land</h3>
          <div class="grid-scroll">
            <table aria-label="Preview of the mapped rows">
              <thead>
                <tr>
                  {preview.rules.map((rule) => (
                    <th key={rule.destination} scope="col">
                      {rule.destination}
                    </th>
                  ))}
                  <th scope="col">Rejected because</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row, i) => (
                  <tr key={i}>
                    {preview.rules.map((rule) => (
                      <td key={rule.destination}>{cellText(valueAt(row.data, rule.destination))}</td>
                    ))}
                    <td>{row.errors ? row.errors.map((e) => `${e.destination}: ${e.exception}`).join('; ') : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="actions">
            <button type="button" onClick={() => onChosen(preview.rules)}>
              Continue to the schedule
            </button>
          </div>
        </>
      ) : null}
    </>
  );
}
