import type { Run } from './flow-wire.js';
import { countText } from './quantity-text.js';
import { timeText } from '../../ui/time-text.js';

const width = 720;
const height = 220;
const margin = { top: 12, right: 16, bottom: 28, left: 64 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;

/** The most runs the chart draws (the newest); past that a bar would be narrower than a pixel. */
export const runsCharted = 60;

/** The three figures the chart draws: each bar has its colour and its place in the group (read, written, failed). */
const series = [
  { key: 'read', label: 'Read', color: '#1f5fbf', value: (run: Run) => run.metrics.recordSummary.inputRecordCount },
  { key: 'written', label: 'Written', color: '#2e7d32', value: (run: Run) => run.metrics.recordSummary.outputRecordCount },
  { key: 'failed', label: 'Failed', color: '#c62828', value: (run: Run) => run.metrics.recordSummary.failedRecordCount },
] as const;

/** 1, 2 or 5 times a power of ten at or above `n`: an axis top that reads well. */
function niceCeiling(n: number): number {
  if (n <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  const step = [1, 2, 5, 10].find((s) => s * power >= n) ?? 10;
  return step * power;
}

/**
 * Records read, written and failed by each run, a group of three bars per run from the oldest (left) to the
 * newest, drawn as inline SVG; the same figures follow in a table for screen readers (the runs list shows them to
 * everyone). Runs follow their schedule, so equal steps between groups stand for about equal times.
 */
export function RunsChart({ runs }: { runs: Run[] }) {
  const ordered = [...runs]
    .sort((a, b) => b.metrics.durationSummary.startedAtUTC - a.metrics.durationSummary.startedAtUTC)
    .slice(0, runsCharted)
    .reverse();
  const first = ordered[0]?.metrics.durationSummary.startedAtUTC ?? 0;
  const last = ordered[ordered.length - 1]?.metrics.durationSummary.startedAtUTC ?? 0;
  const top = niceCeiling(Math.max(0, ...ordered.flatMap((run) => series.map((s) => s.value(run)))));
  const ticks = Number.isInteger(top / 2) ? [0, top / 2, top] : [0, top];
  const slot = plotWidth / Math.max(1, ordered.length);
  // A group's bars fill three fifths of its slot, at most 18 px each, centred in it.
  const bar = Math.min(18, (slot * 0.6) / series.length);
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const summary = `Records read, written and failed per run: ${ordered.length} run${ordered.length === 1 ? '' : 's'} from ${timeText(first)} to ${timeText(last)}.`;
  return (
    <figure class="runs-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} class="gridline" />
            <text x={margin.left - 8} y={y(tick) + 4} text-anchor="end" class="axis">
              {countText(tick)}
            </text>
          </g>
        ))}
        <text x={margin.left} y={height - 8} class="axis">
          {timeText(first)}
        </text>
        {ordered.length > 1 ? (
          <text x={width - margin.right} y={height - 8} text-anchor="end" class="axis">
            {timeText(last)}
          </text>
        ) : null}
        {ordered.map((run, index) => {
          const left = margin.left + index * slot + (slot - bar * series.length) / 2;
          return (
            <g key={run.id} class="run">
              {series.map((s, n) => (
                <rect key={s.key} data-series={s.key} x={left + n * bar} y={y(s.value(run))} width={Math.max(1, bar - 1)} height={y(0) - y(s.value(run))} fill={s.color}>
                  <title>{`${s.label}: ${countText(s.value(run))} (run of ${timeText(run.metrics.durationSummary.startedAtUTC)})`}</title>
                </rect>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend" aria-hidden="true">
          {series.map((s) => (
            <li key={s.key}>
              <svg width="12" height="12">
                <rect width="12" height="12" fill={s.color} />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <table class="visually-hidden">
        <caption>Records per run, oldest first (the chart's figures)</caption>
        <thead>
          <tr>
            <th scope="col">Run started</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ordered.map((run) => (
            <tr key={run.id}>
              <th scope="row">{timeText(run.metrics.durationSummary.startedAtUTC)}</th>
              {series.map((s) => (
                <td key={s.key}>{countText(s.value(run))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
