/** One attempt of a request, as it came back: told as it happens, so an operator sees a source struggling mid-run. */
export interface RequestAttempt {
  /** The HTTP status, or null when no answer came (a timeout, a reset or a refused connection). */
  status: number | null;
  /** Whether the requester sends it again (a status or failure worth retrying, tries left). */
  retried: boolean;
}

/** A request attempt of one provider's connector. */
export interface SourceRequest extends RequestAttempt {
  /** The connector's vendor, e.g. `PayPal`. */
  vendor: string;
}

/**
 * Told of every request attempt an API connector makes (runs, previews and connection checks alike). It runs on
 * the request's path, so it must be quick and must not throw.
 *
 * @example
 * const observer: RequestObserver = ({ vendor, status, retried }) => counts.add(`${vendor} ${status ?? 'none'}${retried ? ' retried' : ''}`);
 * const connector = new RestConnector(stripeDefinition, { observer });
 */
export type RequestObserver = (request: SourceRequest) => void;
