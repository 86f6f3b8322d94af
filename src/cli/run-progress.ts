import type { Static } from 'typebox';
import type { RunAnswer } from '../services/flowservice/flow-answers.schema.js';

type Run = Static<typeof RunAnswer>;
type Stage = NonNullable<Run['metrics']['statusSummary']['extensions']>['stage'];

const stageLabels: Record<Stage, string> = {
  queued: 'waiting for a worker',
  extracting: 'reading the source',
  reading: 'reading the columns',
  writing: 'mapping and writing',
  committing: 'committing',
};

const barWidth = 24;

/** The erase-to-end-of-line control sequence: a shorter line drawn over a longer one leaves nothing behind. */
const eraseToEnd = '\u001b[K';

/** Where the progress goes: stderr, a terminal or not. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Shows a run in progress, for `tributary run --wait`. On a terminal it redraws one line (cut to the terminal's
 * width, since a wrapped line cannot be redrawn); otherwise (a pipe, a log file) it writes a plain line each time
 * the stage or the status changes, so a log holds no control characters and no line per poll.
 */
export class RunProgress {
  private lastKey: string | undefined;
  private drawn = false;

  constructor(
    private readonly out: ProgressStream,
    private readonly startedAt: number,
    private readonly now: () => number = Date.now,
  ) {}

  show(run: Run): void {
    const line = progressLine(run, this.now() - this.startedAt);
    if (this.out.isTTY) {
      const width = this.out.columns && this.out.columns > 1 ? this.out.columns - 1 : undefined;
      this.out.write(`\r${width === undefined ? line : line.slice(0, width)}${eraseToEnd}`);
      this.drawn = true;
      return;
    }
    const key = `${run.metrics.statusSummary.status}/${run.metrics.statusSummary.extensions?.stage ?? ''}`;
    if (key !== this.lastKey) this.out.write(`${line}\n`);
    this.lastKey = key;
  }

  /** Ends the redrawn line, so what follows starts on a line of its own. */
  finish(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

/**
 * One line: the stage (or the outcome), a bar with the percentage when the stage knows how far it has got,
 * the records read, written and rejected, and the time so far. While an API source is being read, the records
 * read are those its tables have fetched so far.
 */
export function progressLine(run: Run, elapsedMs: number): string {
  const { status, extensions } = run.metrics.statusSummary;
  const running = status === 'inProgress';
  const stage = running ? extensions?.stage : undefined;
  const label = running ? (stage ? stageLabels[stage] : 'starting') : status;
  const percent = running ? extensions?.percent : undefined;
  const bar = percent === undefined ? '' : ` [${barOf(percent)}] ${String(percent).padStart(3)}%`;
  const records = run.metrics.recordSummary;
  const fetched = running && (stage === undefined || stage === 'extracting') ? fetchedSoFar(run) : undefined;
  const read = fetched ?? records.inputRecordCount;
  const mb = run.metrics.sizeSummary.inputBytes / 1024 / 1024;
  const size = mb > 0 ? `, ${mb.toFixed(1)} MB` : '';
  return `${label}${bar}: ${read} records read, ${records.outputRecordCount} written, ${records.failedRecordCount} rejected${size}, ${Math.round(elapsedMs / 1000)} s`;
}

function barOf(percent: number): string {
  const done = Math.round((Math.min(100, Math.max(0, percent)) / 100) * barWidth);
  return `${'='.repeat(done)}${done < barWidth ? '>' : ''}`.padEnd(barWidth, ' ').slice(0, barWidth);
}

/** The records an API source's tables have fetched so far, when the run says. */
function fetchedSoFar(run: Run): number | undefined {
  const streams = run.activities.find((a) => a.id === 'copyActivity')?.statusSummary.extensions?.streams;
  return streams && streams.length > 0 ? streams.reduce((sum, s) => sum + s.records, 0) : undefined;
}
