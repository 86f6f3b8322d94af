/**
 * A request URL as a log line may show it: the value of any query parameter whose name, once decoded, speaks of
 * a credential is replaced by `[redacted]`. Names are compared decoded and stripped to letters and digits, so
 * `client_secre%74`, `Client-Secret` and `clientSecret` are all caught. On the token endpoint, where every field
 * is a credential or its neighbour and a misspelt name (`client_secrte`) would slip past any list, every value is.
 */
export function logSafeUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const path = url.slice(0, start);
  const everyValue = tokenEndpoint.test(decoded(path));
  const parts = url.slice(start + 1).split('&').map((part) => {
    const equals = part.indexOf('=');
    if (equals < 0) return part;
    const name = part.slice(0, equals);
    return everyValue || credentialName.test(decoded(name).toLowerCase().replace(/[^a-z0-9]/g, '')) ? `${name}=[redacted]` : part;
  });
  return `${path}?${parts.join('&')}`;
}

const credentialName = /secret|token|passw|pwd|apikey|auth|cred|sig/;

/** IMS's token endpoint, however its path is spelt (the router decodes it and ignores a trailing slash). */
const tokenEndpoint = /^\/ims\/token\//i;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // A malformed escape is logged as sent; the router refuses such a request anyway.
    return text;
  }
}
