import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Queries run in the compiled worker (dist/lake/query-worker.js), even under vitest: fail at once, and say why,
 * when the build is missing or older than the code it runs, instead of testing yesterday's worker.
 */
export function requireFreshQueryWorker(): void {
  const worker = path.resolve('dist/lake/query-worker.js');
  if (!fs.existsSync(worker)) throw new Error('run `npm run build` first: queries run in dist/lake/query-worker.js');
  const built = fs.statSync(worker).mtimeMs;
  const sources = [...fs.readdirSync('src/lake').map((name) => path.join('src/lake', name)), 'src/mapping/sql-text.ts'];
  const newer = sources.filter((file) => fs.statSync(file).mtimeMs > built);
  if (newer.length > 0) throw new Error(`run \`npm run build\`: ${newer.join(', ')} changed after dist/lake/query-worker.js was built`);
}

/** The query worker processes this test process has started (their command line names the worker module). */
export function queryWorkerPids(module = 'query-worker'): number[] {
  let listing: string;
  try {
    listing = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when the process has no children at all.
    return [];
  }
  return listing
    .split('\n')
    .filter((line) => line.includes(module))
    .map((line) => Number.parseInt(line.trim(), 10))
    .filter((pid) => Number.isInteger(pid));
}

/** Whether a process is still there (a killed worker is reaped by Node once it has exited). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
