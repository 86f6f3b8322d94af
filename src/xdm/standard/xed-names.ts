/**
 * Naming rules between XDM source form (JSON-LD compact names) and the registry's prefix-free XED form.
 * See NAMESPACES.md in adobe/xdm: `xdm:` is the default namespace, every other namespace
 * becomes an object property named `_{namespace}`.
 */

const ADOBE_NAMESPACE_HOST = 'ns.adobe.com';

/**
 * The namespace path of a URI: on `ns.adobe.com` the first path segment names the namespace
 * (`https://ns.adobe.com/xdm/context/profile` → `_xdm`, `context`, `profile`), as it does for tenants;
 * on any other host the first label of the host names it (`http://schema.org/GeoCoordinates` → `_schema`,
 * `GeoCoordinates`), past a leading `www.` or `ns.` (`https://ns.braze.com/currents/users-event` → `_braze`, ...),
 * which would otherwise put every vendor's namespace host under one `_ns`.
 */
export function namespacePath(uri: string): string[] {
  const url = new URL(uri);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (url.hostname === ADOBE_NAMESPACE_HOST) {
    const [namespace, ...rest] = segments;
    if (namespace === undefined) throw new Error(`no namespace in ${uri}`);
    return [`_${namespace}`, ...rest];
  }
  const hostLabel = url.hostname.replace(/^(www|ns)\./, '').split('.')[0];
  return [`_${hostLabel}`, ...segments];
}

/**
 * `meta:altId` of a standard component: its namespace path joined with dots, so
 * `https://ns.adobe.com/xdm/context/profile` → `_xdm.context.profile`,
 * `http://schema.org/GeoCoordinates` → `_schema.GeoCoordinates`,
 * `http://ns.adobe.com/adobecloud/core/1.0` → `_adobecloud.core.1.0`.
 */
export function altIdOf(id: string): string {
  return namespacePath(id).join('.');
}

/**
 * The XED path of a field named `sourceName` in source form:
 * `xdm:person` → [person]; `@id` → [_id]; `repo:createDate` → [_repo, createDate];
 * `https://ns.adobe.com/vendora/product/stockNumber` → [_vendora, product, stockNumber];
 * an unqualified name stays as it is.
 */
export function xedPathOf(sourceName: string): string[] {
  if (sourceName.startsWith('@')) return [`_${sourceName.slice(1)}`];
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(sourceName)) {
    const path = namespacePath(sourceName);
    // A URI in the XDM namespace itself is as prefix-free as `xdm:` names.
    return path[0] === '_xdm' ? path.slice(1) : path;
  }
  const colon = sourceName.indexOf(':');
  if (colon < 0) return [sourceName];
  const prefix = sourceName.slice(0, colon);
  const local = sourceName.slice(colon + 1);
  return prefix === 'xdm' ? [local] : [`_${prefix}`, local];
}
