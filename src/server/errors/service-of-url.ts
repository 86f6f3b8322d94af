/** The AEP services, by the path segment after /data/foundation/. Each has its own error-code prefix. */
export const servicePrefixes = {
  flowservice: 'FLOW',
  schemaregistry: 'XDM',
  catalog: 'CAT',
  conversion: 'DPREP',
  'sandbox-management': 'SBX',
  import: 'INGEST',
} as const;

export type ServiceName = keyof typeof servicePrefixes;

export function serviceOfUrl(url: string): ServiceName | undefined {
  const match = /^\/data\/foundation\/([^/?]+)/.exec(url);
  const name = match?.[1];
  return name !== undefined && name in servicePrefixes ? (name as ServiceName) : undefined;
}
