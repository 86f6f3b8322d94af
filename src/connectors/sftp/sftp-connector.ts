import type { HttpClock, RetryPolicy } from '../rest/http-requester.js';
import { RemoteFilesConnector } from '../remote-files/remote-files-connector.js';
import { fetchPolicyFrom } from '../remote-files/remote-file-fetch.js';
import { defaultSftpTimeouts, sftpStoreOpener } from './sftp-store.js';

export { sftpSpecId } from './sftp-settings.js';

/**
 * Files on an SFTP server (AEP's SFTP source: password or private key, below an optional folderPath), read as
 * Local Files reads its own: a file, folder or glob; CSV/TSV, JSON, Parquet, gzip; new or changed files only.
 * A connector-wide `retry` policy (the app's, or a test's) sets the tries per file, their waits, and the stall and
 * request timeout; without one the defaults beside `FetchPolicy` and `SftpTimeouts` apply.
 */
export function sftpConnector(options: { retry?: RetryPolicy | undefined; clock?: Pick<HttpClock, 'sleep' | 'random'> | undefined } = {}): RemoteFilesConnector {
  const { retry, clock } = options;
  const fetchPolicy = fetchPolicyFrom(retry);
  const timeouts = retry ? { ...defaultSftpTimeouts, requestMs: retry.timeoutMs } : defaultSftpTimeouts;
  return new RemoteFilesConnector({ label: 'SFTP', open: sftpStoreOpener(timeouts), fetchPolicy, ...(clock ? { clock } : {}) });
}
