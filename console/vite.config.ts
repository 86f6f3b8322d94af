import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The bound on what a first visit downloads: the entry chunk, the chunks it imports, and the CSS. */
const initialBudgetKb = 300;

/** Measures the initial bundle, gzipped, on every build; a build over the budget fails. */
function initialBundleBudget(): Plugin {
  return {
    name: 'tributary-initial-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.values(bundle);
      const entries = files.flatMap((file) => (file.type === 'chunk' && file.isEntry ? [file] : []));
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        initial.add(name);
        const chunk = bundle[name];
        if (chunk?.type === 'chunk') for (const imported of chunk.imports) visit(imported);
      };
      for (const entry of entries) visit(entry.fileName);
      for (const file of files) if (file.type === 'asset' && file.fileName.endsWith('.css')) initial.add(file.fileName);
      let bytes = 0;
      for (const name of initial) {
        const file = bundle[name];
        if (file) bytes += gzipSync(file.type === 'chunk' ? file.code : typeof file.source === 'string' ? file.source : Buffer.from(file.source)).length;
      }
      const kb = bytes / 1024;
      console.log(`console initial bundle: ${kb.toFixed(1)} KB gzipped in ${initial.size} files (budget ${initialBudgetKb} KB)`);
      if (kb > initialBudgetKb) this.error(`the console's initial bundle is ${kb.toFixed(1)} KB gzipped, over its budget of ${initialBudgetKb} KB`);
    },
  };
}

/** The console: built into dist/console, which the server serves at `/`. */
export default defineConfig({
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [initialBundleBudget()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Every asset ships with the package: no CDN, and the console works offline.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
