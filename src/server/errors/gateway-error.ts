/** Errors raised before a request reaches a service; AEP's gateway answers them as `{error_code, message}`. */
export const gatewayErrors = {
  tokenMissing: { status: 401, code: '401013', message: 'Oauth token is missing.' },
  tokenInvalid: { status: 401, code: '401013', message: 'Oauth token is not valid' },
  apiKeyMissing: { status: 403, code: '403000', message: 'Api Key is required' },
  apiKeyInvalid: { status: 403, code: '403003', message: 'Api Key is invalid' },
  orgMissing: { status: 400, code: '400003', message: 'Missing header: x-gw-ims-org-id' },
  orgMismatch: { status: 403, code: '403010', message: 'The access token is not valid for this IMS organization' },
  clientInvalid: { status: 401, code: 'invalid_client', message: 'invalid client_id or client_secret' },
} as const;

export type GatewayErrorKey = keyof typeof gatewayErrors;

export class GatewayError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(key: GatewayErrorKey, detail?: string) {
    const definition = gatewayErrors[key];
    super(detail ? `${definition.message}: ${detail}` : definition.message);
    this.name = 'GatewayError';
    this.status = definition.status;
    this.code = definition.code;
  }
}
