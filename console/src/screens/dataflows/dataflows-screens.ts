/** The dataflow screens, one chunk loaded on first use: the console's first load carries none of them. */
export { DataflowsList } from './dataflows-list.js';
export { DataflowDetail } from './dataflow-detail.js';
export { RunPage } from './run-page.js';
