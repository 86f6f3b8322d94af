import crypto from 'node:crypto';
import { hashSecret, verifySecret, type Scrypt } from '../../secrets/password-hash.js';
import { SandboxesRepository } from '../sandbox/sandboxes.repository.js';
import type { AccessTokens } from './access-tokens.js';
import { ApiClientsRepository, type ApiClient } from './api-clients.repository.js';
import { OrgsRepository, type Org } from './orgs.repository.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';

export interface IssuedCredentials {
  client_id: string;
  client_secret: string;
  ims_org: string;
  tenant_id: string;
  access_token: string;
  /** Seconds the access token stays valid, as IMS v3's token answer says `expires_in`. */
  expires_in: number;
}

/** Orgs, API clients and token exchange: what Adobe IMS and the Developer Console do for AEP. */
export class Credentials {
  private readonly orgs: OrgsRepository;
  private readonly clients: ApiClientsRepository;
  private readonly sandboxes: SandboxesRepository;

  /** `scrypt` hashes and checks client secrets: the server passes its `HashingPool`, one-shot commands libuv's. */
  constructor(db: Kysely<Database>, private readonly tokens: AccessTokens, private readonly now: () => number, private readonly scrypt: Scrypt) {
    this.orgs = new OrgsRepository(db);
    this.clients = new ApiClientsRepository(db);
    this.sandboxes = new SandboxesRepository(db);
  }

  async create(orgId: string, name = 'Tributary client'): Promise<IssuedCredentials> {
    if (!/^[A-Za-z0-9@._-]{1,128}$/.test(orgId)) {
      throw new Error(`IMS org "${orgId}" must be 1-128 letters, digits or @._- (e.g. ACME123@AdobeOrg)`);
    }
    const org = await this.ensureOrg(orgId);
    const clientId = crypto.randomBytes(16).toString('hex');
    const clientSecret = `p8e-${crypto.randomBytes(24).toString('base64url')}`;
    await this.clients.insert({ clientId, orgId: org.id, name, secretHash: await hashSecret(clientSecret, this.scrypt) }, this.now());
    const accessToken = await this.tokens.issue({ clientId, orgId: org.id });
    return { client_id: clientId, client_secret: clientSecret, ims_org: org.id, tenant_id: org.tenantId, access_token: accessToken, expires_in: this.tokens.lifetimeSeconds };
  }

  /**
   * The API client with this id. Client ids are not secrets in IMS (every request carries one in `x-api-key`),
   * so the token endpoint may tell an unknown one apart without the cost of a hash (see `TokenExchange`).
   */
  findClient(clientId: string): Promise<ApiClient | undefined> {
    return this.clients.find(clientId);
  }

  /** One scrypt: whether `secret` is the client's. May reject with `HashingBusyError` under load. */
  secretMatches(client: ApiClient, secret: string): Promise<boolean> {
    return verifySecret(secret, client.secretHash, this.scrypt);
  }

  issueToken(client: ApiClient): Promise<string> {
    return this.tokens.issue({ clientId: client.clientId, orgId: client.orgId });
  }

  async clientBelongsTo(clientId: string, orgId: string): Promise<boolean> {
    const client = await this.clients.find(clientId);
    return client?.orgId === orgId;
  }

  findOrg(orgId: string): Promise<Org | undefined> {
    return this.orgs.find(orgId);
  }

  listOrgs(): Promise<Org[]> {
    return this.orgs.list();
  }

  private async ensureOrg(orgId: string): Promise<Org> {
    const existing = await this.orgs.find(orgId);
    if (existing) return existing;
    const org: Org = { id: orgId, tenantId: await this.freeTenantId(orgId), name: orgId };
    const now = this.now();
    await this.orgs.insert(org, now);
    await this.sandboxes.insert({
      id: crypto.randomUUID(),
      orgId: org.id,
      name: 'prod',
      title: 'Production',
      type: 'production',
      state: 'active',
      isDefault: true,
      createdAt: now,
      updatedAt: now,
      createdBy: 'system',
      updatedBy: 'system',
    });
    return org;
  }

  /** AEP tenant ids are short lower-case names derived from the org, unique across the instance. */
  private async freeTenantId(orgId: string): Promise<string> {
    const base = (orgId.split('@')[0] ?? orgId).toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 24) || 'tenant';
    const stem = /^[a-z]/.test(base) ? base : `t${base}`;
    for (let suffix = 0; ; suffix += 1) {
      const candidate = suffix === 0 ? stem : `${stem}${suffix}`;
      if (!(await this.orgs.tenantTaken(candidate))) return candidate;
    }
  }
}
