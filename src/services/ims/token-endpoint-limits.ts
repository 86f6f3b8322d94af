/** How many failed token requests the IMS endpoint takes before answering 429, and how it answers them (TRIBUTARY_TOKEN_FAILURE*). */
export interface TokenEndpointLimits {
  /** Failed attempts per client id within the window. */
  failuresPerClient: number;
  /** Failed attempts per remote address within the window, whatever client they name. */
  failuresPerAddress: number;
  windowSeconds: number;
  /** How long a failed attempt's answer (401, 429) is held back before it is sent (TRIBUTARY_TOKEN_FAILURE_DELAY_MS). */
  failureDelayMs: number;
  /** Failed answers held back at once; past that they go out at once, closing the connection. */
  maxDelayedAnswers: number;
}

/**
 * A client that knows its secret fails rarely (a typo, a rotated secret): ten in a minute is already a script
 * guessing. An address may front several clients (a NAT, a CI runner), hence more room there. A failure's
 * answer waits one second: a person who mistyped a secret hardly notices, and a script guessing in a
 * loop is slowed to one attempt a second per connection. A thousand held answers are a thousand idle sockets.
 */
export const defaultTokenEndpointLimits: TokenEndpointLimits = { failuresPerClient: 10, failuresPerAddress: 30, windowSeconds: 60, failureDelayMs: 1000, maxDelayedAnswers: 1000 };
