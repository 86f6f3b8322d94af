/** The AEP services, by the path segment after /data/foundation/. Each has its own error-code prefix. */
export const servicePrefixes = {
  flowservice: 'FLOW',
  schemaregistry: 'XDM',
  catalog: 'CAT',
  conversion: 'DPREP',
  'sandbox-management': 'SBX',
  import: 'INGEST',
  export: 'EXPORT',
  query: 'QUERY',
} as const;

export type ServiceName = keyof typeof servicePrefixes;

/** The service a path belongs to; give it the matched route pattern or the decoded path, never the raw URL. */
export function serviceOfUrl(path: string): ServiceName | undefined {
  const match = /^\/data\/foundation\/([^/?]+)/.exec(path);
  const name = match?.[1];
  return name !== undefined && Object.hasOwn(servicePrefixes, name) ? (name as ServiceName) : undefined;
}
