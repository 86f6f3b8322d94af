import type { SecretBox } from '../../secrets/secret-box.js';
import { ApiError } from '../../server/errors/api-error.js';
import { isRecord } from '../../server/errors/problem-list.js';
import type { ResourcesRepository, Scope } from '../../store/resources.repository.js';
import type { StoredConnection } from './connections.repository.js';
import { authSpecOfBody, describeDestination, destinationOf, sameDestination, type CredentialDestination } from './credential-destination.js';

type StoredBaseConnection = StoredConnection<'flowservice.connection'>;

/** A base connection's sealed params, and where its secrets may be sent. */
export interface StoredCredentials {
  params: Record<string, unknown>;
  /**
   * The destination the secrets were saved for. A connection sealed before bindings existed has none stored:
   * it is trusted where its sealed params and its shown params agree, and undefined where they differ.
   */
  trusted: CredentialDestination | undefined;
  /** Whether `trusted` is a binding sealed with the secrets (false: inferred for an older connection). */
  bound: boolean;
}

export function storedCredentials(stored: StoredBaseConnection, secretBox: SecretBox): StoredCredentials {
  if (!stored.secret) return { params: {}, trusted: {}, bound: true };
  const opened = secretBox.openBound(stored.secret);
  const params = isRecord(opened.value) ? opened.value : {};
  if (isRecord(opened.boundTo)) return { params, trusted: opened.boundTo, bound: true };
  const spec = authSpecOfBody(stored.body);
  if (!spec) return { params, trusted: {}, bound: false };
  const sealed = destinationOf(spec, params);
  return { params, trusted: sameDestination(sealed, destinationOf(spec, stored.body.auth?.params ?? {})) ? sealed : undefined, bound: false };
}

/**
 * The credentials of a base connection for a request to its provider (test, explore, a run), refused with
 * `credentialsMoved` when they would go anywhere other than the destination they were saved for, so that no
 * request is sent.
 *
 * This backs up the PATCH rule (a new host needs the secrets again) against rows edited in the database. A
 * connection saved before bindings existed is bound on first use here, to the destination its sealed and its
 * shown params agree on; when they disagree it is refused until its secrets are sent again.
 */
export async function openBoundCredentials(stored: StoredBaseConnection, deps: { repo: ResourcesRepository; secretBox: SecretBox }, scope: Scope): Promise<Record<string, unknown>> {
  const { params, trusted, bound } = storedCredentials(stored, deps.secretBox);
  const spec = authSpecOfBody(stored.body);
  if (!spec) return params;
  const current = destinationOf(spec, params);
  const shown = destinationOf(spec, stored.body.auth?.params ?? {});
  if (!trusted || !sameDestination(trusted, current) || !sameDestination(trusted, shown)) {
    const saved = trusted ? `were saved for ${describeDestination(trusted)}` : 'have no destination they were saved for';
    const now = trusted && sameDestination(trusted, current) ? shown : current;
    throw new ApiError(
      'credentialsMoved',
      `The credentials of connection ${stored.id} ${saved}, but the connection now sends them to ${describeDestination(now)}: nothing was sent. Send its secrets again together with the destination (PATCH /connections/${stored.id}) to save them for it.`,
      { report: { id: stored.id } },
    );
  }
  if (!bound) {
    // Bound on first use; the etag stays, as what clients see does not change. A concurrent change wins: the next
    // use binds.
    await deps.repo.update(scope, { ...stored, secret: deps.secretBox.seal(params, current) }, stored.etag);
  }
  return params;
}
