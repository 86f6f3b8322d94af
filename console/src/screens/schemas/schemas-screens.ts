/** The Schemas screens, one chunk loaded on first use: the console's first load carries none of them. */
export { SchemasBrowser } from './schemas-browser.js';
export { ResourcePage } from './resource-page.js';
export { ComposeScreen } from './compose-screen.js';
