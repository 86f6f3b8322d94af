import fs from 'node:fs';

/**
 * A process's resident memory as Linux reports it in /proc/<pid>/status: `VmRSS` (now) and `VmHWM` (its peak, the
 * "high-water mark"). The peak covers the whole process, native memory (DuckDB's) included, which Node's own
 * counters do not see.
 */
export interface ResidentMemory {
  rssMb: number;
  peakMb: number;
}

export function residentMemory(pid: number | 'self'): ResidentMemory {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: Math.round(kilobytes('VmRSS') / 1024), peakMb: Math.round(kilobytes('VmHWM') / 1024) };
}

/**
 * Sets the process's peak back to what it holds now, so the next reading is the peak of what follows (writing 5 to
 * /proc/<pid>/clear_refs; Linux 4.0 and later, own processes only). False when the kernel refused: the peak then
 * still counts everything since the process started.
 */
export function resetPeakMemory(pid: number | 'self'): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Clock ticks a second in /proc/<pid>/stat (USER_HZ: 100 on every Linux this runs on). */
const ticksPerSecond = 100;

/**
 * CPU seconds (user + system) a process has used since it started, from /proc/<pid>/stat; undefined once it has
 * exited. Works for other users' processes too (a PostgreSQL backend).
 */
export function cpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
