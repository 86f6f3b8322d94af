/** How many failed token requests the IMS endpoint takes before answering 429 (TRIBUTARY_TOKEN_FAILURES_*). */
export interface TokenEndpointLimits {
  /** Failed attempts per client id within the window. */
  failuresPerClient: number;
  /** Failed attempts per remote address within the window, whatever client they name. */
  failuresPerAddress: number;
  windowSeconds: number;
}

/**
 * A client that knows its secret fails rarely (a typo, a rotated secret): ten in a minute is already a script
 * guessing. An address may front several clients (a NAT, a CI runner), hence more room there.
 */
export const defaultTokenEndpointLimits: TokenEndpointLimits = { failuresPerClient: 10, failuresPerAddress: 30, windowSeconds: 60 };
