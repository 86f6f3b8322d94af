import crypto from 'node:crypto';
import { hashSecret, verifySecret } from '../../secrets/password-hash.js';
import { SandboxesRepository } from '../sandbox/sandboxes.repository.js';
import type { AccessTokens } from './access-tokens.js';
import { ApiClientsRepository } from './api-clients.repository.js';
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

const unknownClientHash = 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Orgs, API clients and token exchange: what Adobe IMS and the Developer Console do for AEP. */
export class Credentials {
  private readonly orgs: OrgsRepository;
  private readonly clients: ApiClientsRepository;
  private readonly sandboxes: SandboxesRepository;

  constructor(db: Kysely<Database>, private readonly tokens: AccessTokens, private readonly now: () => number) {
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
    await this.clients.insert({ clientId, orgId: org.id, name, secretHash: await hashSecret(clientSecret) }, this.now());
    const accessToken = await this.tokens.issue({ clientId, orgId: org.id });
    return { client_id: clientId, client_secret: clientSecret, ims_org: org.id, tenant_id: org.tenantId, access_token: accessToken, expires_in: this.tokens.lifetimeSeconds };
  }

  /** The client-credentials grant; undefined when the id or secret is wrong. */
  async exchange(clientId: string, clientSecret: string): Promise<string | undefined> {
    const client = await this.clients.find(clientId);
    // Hash even for an unknown client, so the answer's timing does not tell which client ids exist.
    const valid = await verifySecret(clientSecret, client?.secretHash ?? unknownClientHash);
    if (!client || !valid) return undefined;
    return this.tokens.issue({ clientId, orgId: client.orgId });
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
