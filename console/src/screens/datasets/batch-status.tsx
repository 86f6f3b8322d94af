/** Catalog's batch statuses (`success`, `failed`, `loading`…) as a coloured label that keeps the word itself. */
export function BatchStatus({ status }: { status: string }) {
  return <span class={`batch-status status-${status.replace(/[^a-z]/gi, '').toLowerCase()}`}>{status}</span>;
}
