/**
 * Errors of the streaming inlets (`/collection/...`). AEP's Data Collection Core Service answers them in its own
 * problem shape, not the platform's: `{type, status, title, report: {message, cause?}}`, with the type naming
 * the inlet or its authorization (docs ingestion/quality/streaming-validation.md, sources http.md appendix).
 */
export const inletErrors = {
  invalidMessage: { status: 400, title: 'Invalid XDM Message Format', type: 'http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet' },
  invalidRequest: { status: 400, title: 'Invalid Request', type: 'http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet' },
  tokenMissing: { status: 401, title: 'Authorization', type: 'https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization' },
  tokenForbidden: { status: 403, title: 'Authorization', type: 'https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization' },
  inletNotFound: { status: 404, title: 'Inlet Not Found', type: 'http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet' },
  payloadTooLarge: { status: 413, title: 'Payload Too Large', type: 'http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet' },
} as const;

export type InletErrorKey = keyof typeof inletErrors;

export class InletError extends Error {
  readonly status: number;
  readonly title: string;
  readonly type: string;
  constructor(key: InletErrorKey, message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = 'InletError';
    const definition = inletErrors[key];
    this.status = definition.status;
    this.title = definition.title;
    this.type = definition.type;
  }
}

/** Whether a (matched or decoded) path is one of the inlets, which answer every error in the inlet shape. */
export function isInletPath(path: string): boolean {
  return /^(\/data\/foundation\/import)?\/collection(\/|$)/.test(path);
}
