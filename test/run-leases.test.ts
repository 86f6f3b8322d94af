import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { RunLeases } from '../src/engine/run-leases.js';
import type { Database } from '../src/store/database.js';

describe('who is still running a run', () => {
  let now = 1_000_000;
  // isAlive reads no store: the lease says everything.
  const leases = new RunLeases({} as Kysely<Database>, () => now);
  const host = os.hostname();

  it('on this host: the holder is alive while its pid is and its heartbeat is fresh, and this very pid only as this very process', () => {
    expect(leases.isAlive({ owner: leases.owner, heartbeatAt: 0 })).toBe(true);
    expect(leases.isAlive({ owner: `${host}:${process.pid}:an-earlier-process`, heartbeatAt: now })).toBe(false);
    expect(leases.isAlive({ owner: `${host}:${process.ppid}:parent`, heartbeatAt: now - 10_000 })).toBe(true);
    // The pid answers, but nothing has beaten for two minutes: a hung process, or another program on a reused pid.
    expect(leases.isAlive({ owner: `${host}:${process.ppid}:parent`, heartbeatAt: now - 120_000 })).toBe(false);
    expect(leases.isAlive({ owner: `${host}:2147483646:gone`, heartbeatAt: now })).toBe(false);
  });

  it.runIf(process.platform === 'linux')('on this host: a killed server lingering as a zombie is gone at once', async () => {
    // The background `sleep` ends a moment after the shell has become the long `sleep`, which never reaps it, so it
    // stays a zombie. (A child that ended before the exec could be reaped by the shell itself.)
    const child = spawn('sh', ['-c', 'sleep 1 & echo $!; exec sleep 30']);
    try {
      const zombie = Number(await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))));
      for (let i = 0; i < 200 && !fs.readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z'); i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(fs.readFileSync(`/proc/${zombie}/stat`, 'utf8')).toContain(') Z');
      expect(leases.isAlive({ owner: `${host}:${zombie}:killed`, heartbeatAt: now })).toBe(false);
      // The sleeping shell itself is alive, and with a fresh heartbeat counts as running.
      expect(leases.isAlive({ owner: `${host}:${child.pid}:alive`, heartbeatAt: now })).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('elsewhere: alive while its heartbeat is less than a minute old', () => {
    expect(leases.isAlive({ owner: 'other-host:123:x', heartbeatAt: now - 10_000 })).toBe(true);
    now += 120_000;
    expect(leases.isAlive({ owner: 'other-host:123:x', heartbeatAt: now - 120_000 })).toBe(false);
    expect(leases.isAlive(undefined)).toBe(false);
  });
});
