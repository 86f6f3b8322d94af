import fs from 'node:fs';
import path from 'node:path';

/** Where `serve` says where it listens, so `run` on the same machine finds it without `--url`. */
const fileName = 'server.json';

interface ServerAddress {
  url: string;
  pid: number;
}

export function recordServerAddress(dataDir: string, url: string): void {
  const address: ServerAddress = { url, pid: process.pid };
  fs.writeFileSync(path.join(dataDir, fileName), `${JSON.stringify(address)}\n`, { mode: 0o600 });
}

/** Removes the record, if it is still this process's (another server may have started on the data since). */
export function forgetServerAddress(dataDir: string): void {
  const file = path.join(dataDir, fileName);
  if (readAddress(file)?.pid === process.pid) fs.rmSync(file, { force: true });
}

/** The URL of the server running on `dataDir`, when one recorded it and its process is still alive. */
export function runningServerUrl(dataDir: string): string | undefined {
  const address = readAddress(path.join(dataDir, fileName));
  return address && processAlive(address.pid) ? address.url : undefined;
}

function readAddress(file: string): ServerAddress | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { url, pid } = parsed as Record<string, unknown>;
  return typeof url === 'string' && typeof pid === 'number' ? { url, pid } : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
