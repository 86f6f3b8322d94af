import { useMemo } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import { catalog, listCatalog, tableOf, type Batch, type DataSet } from '../../api/catalog.js';
import { request, type Scope } from '../../api/client.js';
import { ApiProblem } from '../../api/problem.js';
import { quoteIdentifier, runQuery, type QueryColumn, type QueryRow } from '../../api/query.js';
import { useApi } from '../../state/use-api.js';
import { flattenRows } from '../../ui/flat-rows.js';
import { RowsGrid } from '../../ui/rows-grid.js';
import { LoadedView } from '../../ui/states.js';
import { queryHistory } from '../query/query-history.js';
import { BatchStatus } from './batch-status.js';
import { timeText } from '../../ui/time-text.js';
import { SchemaTree, type SchemaProperty } from './schema-tree.js';
import './datasets.css';

/** Rows the preview reads. */
const previewRows = 20;

async function readDataSet(scope: Scope, id: string, signal: AbortSignal): Promise<DataSet> {
  const body = await request<Record<string, Omit<DataSet, 'id'>>>(scope, 'GET', `${catalog}/dataSets/${encodeURIComponent(id)}`, { signal });
  const found = body[id];
  if (!found) throw new ApiProblem(404, `Catalog has no dataset ${id} in this sandbox.`);
  return { ...found, id };
}

/** One dataset: its schema as a tree, its batches and their status, and its first rows read from the lake. */
export function DatasetDetail({ scope, id }: { scope: Scope; id: string }) {
  const loaded = useApi(scope, (s, signal) => readDataSet(s, id, signal), [id]);
  return (
    <section aria-labelledby="dataset-title">
      <p class="breadcrumb">
        <Link href="/datasets">Datasets</Link> /
      </p>
      <LoadedView loaded={loaded} what="the dataset">
        {(dataSet) => <DataSetView scope={scope} dataSet={dataSet} />}
      </LoadedView>
    </section>
  );
}

function DataSetView({ scope, dataSet }: { scope: Scope; dataSet: DataSet }) {
  const table = tableOf(dataSet);
  const [, navigate] = useLocation();
  return (
    <>
      <div class="title-row">
        <h1 id="dataset-title">{dataSet.name ?? dataSet.id}</h1>
        {table ? (
          <button
            type="button"
            onClick={() => {
              queryHistory.setDraft(scope, `SELECT * FROM ${table} LIMIT 100`);
              navigate('/query');
            }}
          >
            Query this dataset
          </button>
        ) : null}
      </div>
      <dl class="facts">
        <dt>Id</dt>
        <dd>
          <code>{dataSet.id}</code>
        </dd>
        <dt>SQL table</dt>
        <dd>{table ? <code>{table}</code> : 'none'}</dd>
        <dt>Created</dt>
        <dd>{timeText(dataSet.created)}</dd>
        <dt>Updated</dt>
        <dd>{timeText(dataSet.updated)}</dd>
      </dl>
      {dataSet.description ? <p>{dataSet.description}</p> : null}
      <SchemaSection scope={scope} schemaId={dataSet.schemaRef?.id} />
      <BatchesSection scope={scope} dataSetId={dataSet.id} />
      <PreviewSection scope={scope} table={table} dataSetId={dataSet.id} landed={dataSet.lastSuccessfulBatch !== undefined} />
    </>
  );
}

interface FullSchema {
  title?: string;
  'meta:class'?: string;
  properties?: Record<string, SchemaProperty>;
}

/** The schema as the Schema Registry resolves it: every field group and data type merged into one tree. */
function SchemaSection({ scope, schemaId }: { scope: Scope; schemaId: string | undefined }) {
  const loaded = useApi(
    scope,
    (s, signal) =>
      schemaId === undefined
        ? Promise.resolve(undefined)
        : request<FullSchema>(s, 'GET', `/data/foundation/schemaregistry/tenant/schemas/${encodeURIComponent(schemaId)}`, { signal, accept: 'application/vnd.adobe.xed-full+json; version=1' }),
    [schemaId],
  );
  return (
    <section aria-labelledby="schema-title" class="panel">
      <h2 id="schema-title">Schema</h2>
      <LoadedView loaded={loaded} what="the schema">
        {(schema) =>
          schema === undefined ? (
            <p class="empty">This dataset names no schema.</p>
          ) : (
            <>
              <p class="hint">
                {schema.title ?? schemaId}
                {schema['meta:class'] ? (
                  <>
                    {' '}
                    · class <code>{schema['meta:class'].split('/').pop()}</code>
                  </>
                ) : null}
              </p>
              <SchemaTree properties={schema.properties} />
            </>
          )
        }
      </LoadedView>
    </section>
  );
}

/** The dataset's batches, newest first, as Catalog lists them. */
function BatchesSection({ scope, dataSetId }: { scope: Scope; dataSetId: string }) {
  const loaded = useApi(scope, (s, signal) => listCatalog<Batch>(s, 'batches', { dataSet: dataSetId, orderBy: 'desc:created' }, signal, 1), [dataSetId]);
  return (
    <section aria-labelledby="batches-title" class="panel">
      <div class="title-row">
        <h2 id="batches-title">Batches</h2>
        <button type="button" class="secondary" onClick={loaded.reload} disabled={loaded.status === 'loading'}>
          Refresh batches
        </button>
      </div>
      <LoadedView loaded={loaded} what="the batches">
        {({ items, more }) =>
          items.length === 0 ? (
            <p class="empty">No batch has landed in this dataset yet.</p>
          ) : (
            <>
              <table class="data-table" aria-label="Batches">
                <thead>
                  <tr>
                    <th scope="col">Batch</th>
                    <th scope="col">Status</th>
                    <th scope="col">Records</th>
                    <th scope="col">Failed</th>
                    <th scope="col">Created</th>
                    <th scope="col">Completed</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((batch) => (
                    <tr key={batch.id}>
                      <td>
                        <code>{batch.id}</code>
                        {batch.errors?.[0] ? <div class="batch-error">{batch.errors[0].description ?? batch.errors[0].message ?? batch.errors[0].code}</div> : null}
                      </td>
                      <td>{batch.status ? <BatchStatus status={batch.status} /> : '—'}</td>
                      <td class="number">{batch.recordCount?.toLocaleString() ?? '—'}</td>
                      <td class="number">{batch.failedRecordCount?.toLocaleString() ?? '—'}</td>
                      <td>{timeText(batch.created)}</td>
                      <td>{timeText(batch.completed)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {more ? <p class="hint">The newest {items.length} batches are shown.</p> : null}
            </>
          )
        }
      </LoadedView>
    </section>
  );
}

/** The first rows of the dataset, read from the lake through Query Service (the rows of its successful batches). */
function PreviewSection({ scope, table, dataSetId, landed }: { scope: Scope; table: string | undefined; dataSetId: string; landed: boolean }) {
  // A dataset without a successful batch has no files behind its table: nothing to ask Query Service for.
  const loaded = useApi(
    scope,
    (s, signal) => (table === undefined || !landed ? Promise.resolve(undefined) : runQuery(s, `SELECT * FROM ${quoteIdentifier(table)} LIMIT ${previewRows}`, signal)),
    [table, dataSetId, landed],
  );
  return (
    <section aria-labelledby="preview-title" class="panel">
      <div class="title-row">
        <h2 id="preview-title">Preview</h2>
        <button type="button" class="secondary" onClick={loaded.reload} disabled={loaded.status === 'loading' || table === undefined}>
          Refresh preview
        </button>
      </div>
      <LoadedView loaded={loaded} what="the first rows">
        {(answer) =>
          answer === undefined ? (
            <p class="empty">{table === undefined ? 'This dataset has no SQL table, so its rows cannot be read here.' : 'No batch has landed in this dataset successfully yet: there are no rows to show.'}</p>
          ) : (
            <Preview columns={answer.columns} rows={answer.rows} />
          )
        }
      </LoadedView>
    </section>
  );
}

function Preview({ columns, rows }: { columns: QueryColumn[]; rows: QueryRow[] }) {
  const table = useMemo(() => flattenRows(columns, rows), [columns, rows]);
  if (rows.length === 0) return <p class="empty">No rows have landed in this dataset yet.</p>;
  return (
    <>
      <p class="hint">
        The first {rows.length} row{rows.length === 1 ? '' : 's'}, from the lake.
      </p>
      <RowsGrid table={table} label="Preview rows" />
    </>
  );
}
