import { SourceConfigError } from '../source-connector.js';

/**
 * The base URL of a connection: its `host` (a host name, or a URL for a sandbox or a stand-in), else the
 * provider's live host. Credentials never travel in clear text, except to this machine (tests, local proxies).
 */
export function baseUrlOf(host: unknown, defaultHost: string): string {
  const value = typeof host === 'string' && host.trim() !== '' ? host.trim() : defaultHost;
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `https://${value}`);
  } catch {
    throw new SourceConfigError(`host "${value}" is not a host name or URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new SourceConfigError(`host "${value}" must use https (plain http is allowed only to this machine)`);
  }
  return `${url.origin}/`;
}
