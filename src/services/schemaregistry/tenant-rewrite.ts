import { isObject } from '../../xdm/component-lookup.js';
import type { JsonValue } from '../../xdm/standard/json-value.js';

/** What an export puts where the source tenant id was; an import puts the caller's tenant id back. */
export const tenantPlaceholder = '<XDM_TENANTID_PLACEHOLDER>';

/**
 * Moves a document from tenant `from` to tenant `to`: in ids and references (`https://ns.adobe.com/{from}/...`),
 * and wherever the tenant namespace `_{from}` stands as a name of its own (a field, an altId, a `meta:ui` path).
 * A tenant id inside a longer word is left alone, so tenant `acme` does not touch a field `_acmecorp`.
 */
export function rewriteTenant(value: JsonValue, from: string, to: string): JsonValue {
  if (from === to) return value;
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(https://ns\\.adobe\\.com/)${escaped}/|(?<![A-Za-z0-9_])_${escaped}(?![A-Za-z0-9_])`, 'g');
  const text = (s: string) => s.replace(pattern, (_match, host: string | undefined) => (host ? `${host}${to}/` : `_${to}`));
  const walk = (node: JsonValue): JsonValue => {
    if (typeof node === 'string') return text(node);
    if (Array.isArray(node)) return node.map(walk);
    if (isObject(node)) return Object.fromEntries(Object.entries(node).map(([key, child]) => [text(key), walk(child)]));
    return node;
  };
  return walk(value);
}
