import { isRecord } from '../../server/errors/problem-list.js';
import { findConnectionSpec } from './specs/builtin-specs.js';
import { credentialDestination, type AuthSpec } from './specs/connection-spec.js';

/**
 * Where an auth's credentials go: the value of each param its spec marks as a credential destination (null
 * when left out, so the connector's default host), by param name in name order. `{}` for auths with none.
 */
export type CredentialDestination = Record<string, unknown>;

function properties(spec: AuthSpec): Record<string, unknown> {
  return isRecord(spec.spec.properties) ? spec.spec.properties : {};
}

/** The params an auth spec marks as secret (`format: password`): masked on the wire, sealed at rest. */
export function secretParams(spec: AuthSpec): Set<string> {
  return new Set(Object.entries(properties(spec)).filter(([, p]) => isRecord(p) && p.format === 'password').map(([k]) => k));
}

/** The params an auth spec marks as saying where its credentials go (`x-credentialDestination`). */
export function destinationParams(spec: AuthSpec): string[] {
  return Object.entries(properties(spec))
    .filter(([, p]) => isRecord(p) && p[credentialDestination] === true)
    .map(([k]) => k)
    .sort();
}

export function destinationOf(spec: AuthSpec, params: Record<string, unknown>): CredentialDestination {
  return Object.fromEntries(destinationParams(spec).map((name) => [name, params[name] ?? null]));
}

/** Exact equality: `api.paypal.com` and `https://api.paypal.com` differ, which errs on the side of asking again. */
export function sameDestination(a: unknown, b: CredentialDestination): boolean {
  if (!isRecord(a)) return false;
  const keys = Object.keys(b);
  return Object.keys(a).length === keys.length && keys.every((key) => JSON.stringify(a[key] ?? null) === JSON.stringify(b[key]));
}

/** `host=https://evil.example`: the destination for a message, never a secret. */
export function describeDestination(destination: unknown): string {
  if (!isRecord(destination)) return 'none recorded';
  const entries = Object.entries(destination);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v === null ? '(default)' : String(v)}`).join(', ');
}

/** The auth spec a stored connection body follows: its `auth.specName` in its connection spec. */
export function authSpecOfBody(body: { connectionSpec: { id: string }; auth?: { specName?: string | undefined } | undefined }): AuthSpec | undefined {
  const spec = findConnectionSpec(body.connectionSpec.id);
  if (!spec || !body.auth) return undefined;
  const name = body.auth.specName;
  return spec.authSpec.find((a) => a.name === name) ?? (spec.authSpec.length === 1 ? spec.authSpec[0] : undefined);
}
