/**
 * Runs a Postman collection with newman, as a user would (`newman run`), against a server the test started, and
 * reports every request it sent: status, body, each test-script assertion and each script error. A run that
 * sends more than `maxRequests` requests is stopped and says so: Adobe's state-machine collections repeat
 * requests with setNextRequest until the answers satisfy them, and must not loop for ever on a wrong answer.
 */
import type { EventEmitter } from 'node:events';
import newman, { type NewmanRunOptions } from 'newman';

export interface Execution {
  name: string;
  method: string;
  url: string;
  status: number | undefined;
  body: string;
  /** Set when the request could not be sent or answered at all (connection refused, TLS, timeout). */
  requestError: string | undefined;
  assertions: { name: string; error: string | undefined }[];
  /** Errors thrown by the request's pre-request or test script (e.g. reading a field an answer lacks). */
  scriptErrors: string[];
}

export interface CollectionRun {
  executions: Execution[];
  /** The run was stopped at `maxRequests`. */
  stoppedAtBound: boolean;
  /** Messages the scripts logged with console.warn/error, to explain a failure. */
  warnings: string[];
}

export interface RunOptions {
  collection: NewmanRunOptions['collection'];
  environment?: NewmanRunOptions['environment'];
  envVar?: { key: string; value: string }[];
  folder?: string[];
  maxRequests: number;
  /** A PEM file newman trusts besides the system's authorities (the test server's self-signed certificate). */
  sslExtraCaCerts?: string;
  /** Where relative file paths in request bodies resolve. */
  workingDir?: string;
}

type Cursor = { ref?: string };
type ItemLike = { name?: string };
type RunLike = { abort: () => void };

/** The events newman emits for a run, with the fields this runner reads (newman's own typings leave them out). */
interface RequestEvent {
  cursor: Cursor;
  item: ItemLike;
  request: { method: string; url: { toString(): string } };
  response?: { code: number; stream?: Buffer };
}

export function runCollection(options: RunOptions): Promise<CollectionRun> {
  return new Promise((resolve, reject) => {
    const executions: Execution[] = [];
    const byRef = new Map<string, Execution>();
    const warnings: string[] = [];
    const pendingScriptErrors = new Map<string, string[]>();
    let run: RunLike | undefined;
    let stoppedAtBound = false;

    const emitter: EventEmitter = newman.run(
      {
        collection: options.collection,
        ...(options.environment ? { environment: options.environment } : {}),
        ...(options.envVar ? { envVar: options.envVar } : {}),
        ...(options.folder ? { folder: options.folder } : {}),
        ...(options.sslExtraCaCerts ? { sslExtraCaCerts: options.sslExtraCaCerts } : {}),
        ...(options.workingDir ? { workingDir: options.workingDir, insecureFileRead: false } : {}),
        reporters: [],
        timeoutRequest: 60_000,
      },
      (error) => {
        if (error) reject(error);
        else resolve({ executions, stoppedAtBound, warnings });
      },
    );
    emitter.on('start', (_error: Error | null, args: { run: RunLike }) => {
      run = args.run;
    });
    emitter.on('request', (error: Error | null, args: RequestEvent) => {
      const ref = args.cursor.ref ?? String(executions.length);
      const execution: Execution = {
        name: args.item.name ?? '',
        method: args.request.method,
        url: args.request.url.toString(),
        status: args.response?.code,
        body: args.response?.stream?.toString('utf8') ?? '',
        requestError: error?.message,
        assertions: [],
        scriptErrors: pendingScriptErrors.get(ref) ?? [],
      };
      executions.push(execution);
      byRef.set(ref, execution);
      if (executions.length >= options.maxRequests && run !== undefined) {
        stoppedAtBound = true;
        run.abort();
      }
    });
    emitter.on('assertion', (error: Error | null, args: { cursor: Cursor; assertion: string }) => {
      byRef.get(args.cursor.ref ?? '')?.assertions.push({ name: args.assertion, error: error?.message });
    });
    emitter.on('script', (error: Error | null, args: { cursor: Cursor; event: { listen: string } }) => {
      if (!error) return;
      const message = `${args.event.listen} script: ${error.message}`;
      const execution = byRef.get(args.cursor.ref ?? '');
      // A pre-request script runs before its request exists; its error is kept until the request is.
      if (execution) execution.scriptErrors.push(message);
      else pendingScriptErrors.set(args.cursor.ref ?? '', [...(pendingScriptErrors.get(args.cursor.ref ?? '') ?? []), message]);
    });
    emitter.on('console', (_error: Error | null, args: { level: string; messages: unknown[] }) => {
      if (args.level === 'warn' || args.level === 'error') warnings.push(args.messages.map(String).join(' '));
    });
  });
}

/** What went wrong in a run, one line per problem, for an assertion message. */
export function runProblems(run: CollectionRun): string[] {
  const out: string[] = [];
  if (run.stoppedAtBound) out.push(`stopped after ${run.executions.length} requests`);
  for (const e of run.executions) {
    const at = `${e.name} (${e.method} ${e.url} -> ${e.status ?? 'no answer'})`;
    if (e.requestError) out.push(`${at}: ${e.requestError}`);
    for (const a of e.assertions) if (a.error) out.push(`${at}: assertion "${a.name}" failed: ${a.error}`);
    for (const s of e.scriptErrors) out.push(`${at}: ${s}`);
  }
  return out;
}
