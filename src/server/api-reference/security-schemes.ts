/**
 * The four headers AEP's gateway reads, as OpenAPI security schemes: with all four in one requirement, the API
 * reference's "Authorize" dialog asks for each and "Try it out" sends them all.
 */
export const securitySchemes = {
  bearer: { type: 'http', scheme: 'bearer', description: 'The access token from POST /ims/token/v3 (Authorization: Bearer …)' },
  apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The client id the token was issued to' },
  imsOrg: { type: 'apiKey', in: 'header', name: 'x-gw-ims-org-id', description: 'The IMS organization, e.g. 0123456789ABCDEF01234567@AdobeOrg' },
  sandbox: { type: 'apiKey', in: 'header', name: 'x-sandbox-name', description: 'The sandbox; prod when left out' },
} as const;

/** Every gateway route needs all four (the sandbox header may be left out, which means prod). */
export const gatewaySecurity = [Object.fromEntries(Object.keys(securitySchemes).map((name) => [name, []]))];

/** Routes outside the gateway (the token endpoint, streaming inlets) take none of these. */
export const noSecurity: Record<string, string[]>[] = [];
