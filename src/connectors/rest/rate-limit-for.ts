import type { CredentialMatch, RateLimit, RateLimitDefinition } from './definition.js';

/** The rate a connection's credentials get under a definition: the first matching `byCredentials`, else the top-level one. */
export function rateLimitFor(definition: RateLimitDefinition, auth: Record<string, unknown>): RateLimit {
  const chosen = definition.byCredentials?.find((entry) => matches(entry.when, auth)) ?? definition;
  return { requestsPerSecond: chosen.requestsPerSecond, burst: chosen.burst };
}

function matches(when: CredentialMatch, auth: Record<string, unknown>): boolean {
  const value = auth[when.param];
  return typeof value === 'string' && when.prefixes.some((prefix) => value.startsWith(prefix));
}
