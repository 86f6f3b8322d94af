import { SourceConfigError, SourceProviderError } from '../source-connector.js';
import type { AuthDefinition } from './definition.js';
import type { Authenticator, HttpClock, HttpRequester } from './http-requester.js';
import { providerMessage } from './provider-message.js';
import { emptyStreamMetrics, type StreamMetrics } from './stream-metrics.js';

/** Renew a token this long before the provider says it expires, so no request carries one that just died. */
const expiryMarginMs = 60_000;

/** The authenticator a definition asks for, over the connection's decrypted credentials. */
export function authenticatorFor(
  definition: AuthDefinition,
  auth: Record<string, unknown>,
  http: HttpRequester,
  clock: HttpClock,
  saveCredentials?: (auth: Record<string, unknown>) => Promise<void>,
): Authenticator {
  const param = (name: string): string => {
    const value = auth[name];
    if (typeof value !== 'string' || value === '') throw new SourceConfigError(`the connection has no ${name}`);
    return value;
  };
  switch (definition.type) {
    case 'bearer': {
      const secret = param(definition.secretParam);
      return { headers: async () => ({ authorization: `Bearer ${secret}` }) };
    }
    case 'oauth2-client-credentials':
      return new ClientCredentials(http, clock, definition.tokenPath, param(definition.clientIdParam), param(definition.clientSecretParam));
    case 'oauth2-refresh-token':
      return new RefreshToken(http, definition, { ...auth }, param, saveCredentials);
  }
}

/** OAuth2 client credentials (PayPal): one token per connection and run, fetched when first needed. */
class ClientCredentials implements Authenticator {
  private token: { value: string; expiresAt: number } | undefined;
  private pending: Promise<void> | undefined;
  private readonly metrics: StreamMetrics = emptyStreamMetrics('oauth2');

  constructor(
    private readonly http: HttpRequester,
    private readonly clock: HttpClock,
    private readonly tokenPath: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  async headers(): Promise<Record<string, string>> {
    if (!this.token || this.token.expiresAt <= this.clock.now()) await this.refresh();
    return { authorization: `Bearer ${(this.token as { value: string }).value}` };
  }

  /** Concurrent requests that all saw a 401 share one token request. */
  refresh(): Promise<void> {
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetchToken(): Promise<void> {
    const basic = Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64');
    const response = await this.http.sendWithRetries(
      { method: 'POST', path: this.tokenPath, body: new URLSearchParams({ grant_type: 'client_credentials' }) },
      { authorization: `Basic ${basic}` },
      this.metrics,
    );
    if (response.status === 400 || response.status === 401) {
      throw new SourceConfigError(`the provider refused the client id and secret (${response.status}: ${providerMessage(response.body) || 'no details'}); check the connection's credentials`, { url: this.tokenPath, status: response.status });
    }
    const body = response.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (response.status !== 200 || typeof body?.access_token !== 'string') {
      throw new SourceProviderError(`the token endpoint answered ${response.status} without an access token`, { url: this.tokenPath, status: response.status });
    }
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 3_600_000;
    this.token = { value: body.access_token, expiresAt: this.clock.now() + Math.max(0, lifetime - expiryMarginMs) };
  }
}

/**
 * An access token renewed with a refresh token (Square). A provider may rotate the refresh token on every
 * renewal; the new pair is stored before it is used, because the old refresh token stops working at once.
 */
class RefreshToken implements Authenticator {
  private accessToken: string;
  private pending: Promise<void> | undefined;
  private readonly metrics: StreamMetrics = emptyStreamMetrics('oauth2');

  constructor(
    private readonly http: HttpRequester,
    private readonly definition: Extract<AuthDefinition, { type: 'oauth2-refresh-token' }>,
    private readonly credentials: Record<string, unknown>,
    private readonly param: (name: string) => string,
    private readonly saveCredentials?: (auth: Record<string, unknown>) => Promise<void>,
  ) {
    this.accessToken = param(definition.accessTokenParam);
  }

  async headers(): Promise<Record<string, string>> {
    return { authorization: `Bearer ${this.accessToken}` };
  }

  refresh(): Promise<void> {
    this.pending ??= this.renew().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async renew(): Promise<void> {
    const d = this.definition;
    const response = await this.http.sendWithRetries(
      {
        method: 'POST',
        path: d.tokenPath,
        // The refresh token as last renewed: a second renewal in one run must not send the one already used.
        body: { client_id: this.param(d.clientIdParam), client_secret: this.param(d.clientSecretParam), grant_type: 'refresh_token', refresh_token: String(this.credentials[d.refreshTokenParam] ?? '') },
      },
      {},
      this.metrics,
    );
    const body = response.body as { access_token?: unknown; refresh_token?: unknown } | null;
    if (response.status >= 400 && response.status < 500) {
      throw new SourceConfigError(`the provider refused to renew the access token (${response.status}: ${providerMessage(response.body) || 'no details'}); reconnect the account`, { url: d.tokenPath, status: response.status });
    }
    if (response.status !== 200 || typeof body?.access_token !== 'string') {
      throw new SourceProviderError(`the token endpoint answered ${response.status} without an access token`, { url: d.tokenPath, status: response.status });
    }
    this.credentials[d.accessTokenParam] = body.access_token;
    if (typeof body.refresh_token === 'string') this.credentials[d.refreshTokenParam] = body.refresh_token;
    await this.saveCredentials?.({ ...this.credentials });
    this.accessToken = body.access_token;
  }
}
