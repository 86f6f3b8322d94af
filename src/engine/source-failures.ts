import { SourceConfigError, SourceLimitError, SourceProviderError, SourceTransientError } from '../connectors/source-connector.js';
import { RunFailure } from './run-failure.js';

/**
 * A run that stopped at its own bound says which, by code: the request budget (a source answering the same
 * pages again, or an account larger than the budget) and the stall timeout (requests going on with nothing new)
 * call for different action than an unexpected answer does.
 */
const limitCodes: Record<SourceLimitError['limit'], string> = {
  requestBudget: 'CONNECTOR-1004-500',
  stallTimeout: 'CONNECTOR-1005-504',
};

/**
 * Source reads are retried on transient errors (I/O hiccups), with backoff; misconfigurations fail at once, and
 * so do API sources whose own requests were already retried request by request.
 */
export async function extract<T>(read: () => Promise<T>): Promise<T> {
  const delays = [200, 1000, 3000];
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (error instanceof SourceConfigError) throw new RunFailure('CONNECTOR-1002-400', error.message, 'config');
      if (error instanceof SourceTransientError) throw new RunFailure('CONNECTOR-1001-500', `Error in copying the data from source: ${error.message}`, 'transient');
      if (error instanceof SourceLimitError) throw new RunFailure(limitCodes[error.limit], error.message, 'provider');
      if (error instanceof SourceProviderError) throw new RunFailure('CONNECTOR-1003-500', `the source answered something unexpected: ${error.message}`, 'provider');
      const delay = delays[attempt];
      if (delay === undefined) throw new RunFailure('CONNECTOR-1001-500', `Error in copying the data from source: ${error instanceof Error ? error.message : String(error)}`, 'transient');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** DuckDB reports unreadable input (bad CSV, wrong format) as plain errors: the user must fix the source. */
export function asFailure(error: unknown): RunFailure {
  const message = error instanceof Error ? error.message : String(error);
  // The mapping's SQL did not bind (types that cannot meet): the mapping set must change, not the source.
  if (/^Binder Error/.test(message)) return new RunFailure('MAPPER-3700-400', `the mapping cannot run: ${message.split('\n')[0] ?? message}`, 'config');
  if (/Invalid Input Error|Conversion Error|Parser Error|No files found|Could not read/i.test(message)) {
    return new RunFailure('CONNECTOR-1002-400', `the source data cannot be read: ${message.split('\n')[0] ?? message}`, 'config');
  }
  return new RunFailure('CONNECTOR-2001-500', `Error occurred at promotion activity: ${message.split('\n')[0] ?? message}`, 'internal');
}
