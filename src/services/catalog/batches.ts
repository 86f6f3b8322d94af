/** Catalog batches are written by the ingestion engine (one per run); the catalog API reads them. */
export { batchKind } from '../../engine/batch-document.js';
