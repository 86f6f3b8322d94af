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

  it('on this host: the holder is alive while its pid is, and this very pid only as this very process', () => {
    expect(leases.isAlive({ owner: leases.owner, heartbeatAt: 0 })).toBe(true);
    expect(leases.isAlive({ owner: `${host}:${process.pid}:an-earlier-process`, heartbeatAt: now })).toBe(false);
    expect(leases.isAlive({ owner: `${host}:${process.ppid}:parent`, heartbeatAt: 0 })).toBe(true);
    expect(leases.isAlive({ owner: `${host}:2147483646:gone`, heartbeatAt: now })).toBe(false);
  });

  it('elsewhere: alive while its heartbeat is less than a minute old', () => {
    expect(leases.isAlive({ owner: 'other-host:123:x', heartbeatAt: now - 10_000 })).toBe(true);
    now += 120_000;
    expect(leases.isAlive({ owner: 'other-host:123:x', heartbeatAt: now - 120_000 })).toBe(false);
    expect(leases.isAlive(undefined)).toBe(false);
  });
});
