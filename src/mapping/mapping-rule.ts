export type SourceType = 'ATTRIBUTE' | 'STATIC' | 'EXPRESSION';

/** One mapping of a mapping set, in the canonical form both request dialects are read into. */
export interface MappingRule {
  sourceType: SourceType;
  source: string;
  destination: string;
  name?: string;
  description?: string;
  identity: boolean;
  identityGroup: string | null;
  namespaceCode: string | null;
  primaryIdentity: boolean;
}
