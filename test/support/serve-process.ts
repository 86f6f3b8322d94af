import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const tributaryBin = path.resolve('bin/tributary.js');

/** A `tributary serve` started as a user would, in its own process (so tests can SIGTERM or SIGKILL it). */
export interface ServeProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

export async function startServe(dataDir: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [tributaryBin, 'serve', '--port', '0', '--data-dir', dataDir, ...args], { env });
  let output = '';
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        // The welcome text follows the listening line in the same write burst; give it a moment.
        setTimeout(() => resolve(match[1] as string), 200);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code, signal) => reject(new Error(`serve exited (${code ?? signal}): ${output}`)));
  });
  return {
    child,
    baseUrl,
    output: () => output,
    stop: async () => {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
