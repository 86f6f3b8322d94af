/** Durations, counts and sizes as the dataflow screens show them, in the viewer's locale (times: ui/time-text.ts). */

/** `2 min 5 s`, `850 ms`: how long a run took (or has been running). */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', s || (!h && !m) ? `${s} s` : ''].filter(Boolean).join(' ');
}

const countFormat = new Intl.NumberFormat();

export function countText(n: number | undefined): string {
  return n === undefined ? '—' : countFormat.format(n);
}

/** `1.2 MB`: a size in bytes for people. */
export function bytesText(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${countFormat.format(bytes)} bytes` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}
