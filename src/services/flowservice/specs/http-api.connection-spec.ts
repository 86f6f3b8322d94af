import crypto from 'node:crypto';
import type { ConnectionSpec } from './connection-spec.js';

/** AEP's streaming source: records posted to the connection's inlet (sources tutorial create/streaming/http.md). */
export const httpApiConnectionSpec: ConnectionSpec = {
  id: 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb',
  name: 'HTTP API',
  providerId: '521eee4d-8cbe-4906-bb48-fb6bd4450033',
  version: '1.0',
  attributes: { category: 'streaming', isSource: true, documentationLink: 'README.md#streaming-ingestion' },
  authSpec: [
    {
      name: 'Streaming Connection',
      type: 'Streaming Connection',
      spec: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        description: 'An inlet that takes records posted to it',
        properties: {
          dataType: { type: 'string', enum: ['xdm', 'raw'], default: 'xdm', description: 'xdm: XDM messages {header, body}; raw: any JSON, mapped by the dataflow' },
          name: { type: 'string', description: 'The name of the streaming connection' },
          sourceId: { type: 'string', description: "An identifier of the records' source; the connection's name by default" },
          authenticationRequired: { type: 'boolean', default: false, description: 'Whether posting to the inlet needs an access token of the org' },
        },
      },
    },
  ],
  sourceSpec: {
    attributes: { uiAttributes: { isSource: true, category: { key: 'streaming' } } },
    spec: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', description: 'Streamed records need no source parameters', properties: {} },
  },
  permissionsInfo: {
    view: [{ '@type': 'lowLevel', name: 'EnterpriseSource', permissions: ['read'] }],
    manage: [{ '@type': 'lowLevel', name: 'EnterpriseSource', permissions: ['write'] }],
  },
};

/**
 * The auth params AEP shows for an HTTP API connection: the client's, with the defaults filled in and the inlet
 * the connection receives at. The inlet id is made once and kept through updates.
 */
export function inletParams(params: Record<string, unknown>, connectionName: string, existingInletId: unknown): Record<string, unknown> {
  const name = typeof params.name === 'string' ? params.name : connectionName;
  return {
    ...params,
    dataType: params.dataType ?? 'xdm',
    name,
    sourceId: typeof params.sourceId === 'string' ? params.sourceId : name,
    authenticationRequired: params.authenticationRequired === true,
    inletId: typeof existingInletId === 'string' ? existingInletId : crypto.randomBytes(32).toString('hex'),
  };
}

/** Where an inlet takes records, on the server the client talks to. */
export function inletUrl(origin: string, inletId: string): string {
  return `${origin}/data/foundation/import/collection/${inletId}`;
}
