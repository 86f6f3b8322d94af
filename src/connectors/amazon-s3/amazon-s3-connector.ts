import type { HttpClock, RetryPolicy } from '../rest/http-requester.js';
import { fetchPolicyFrom } from '../remote-files/remote-file-fetch.js';
import { RemoteFilesConnector } from '../remote-files/remote-files-connector.js';
import { s3StoreOpener } from './s3-file-store.js';

/** AEP's Amazon S3 connection spec, read by this connector. */
export const amazonS3SpecId = 'ecadc60c-7455-4d87-84dc-2a0e293d997b';

/**
 * Objects in an S3 bucket (or an S3-compatible store) read as remote files: a key, a folder (key prefix) or a
 * glob below the connection's bucket and folderPath, incremental by size and modification time. A connector-wide
 * `retry` policy (the app's, or a test's) sets the tries per object, their waits and the stall timeout, as for
 * SFTP; without one the defaults beside `FetchPolicy` apply. The SDK's own settings are `defaultS3ClientPolicy`.
 */
export function amazonS3Connector(options: { retry?: RetryPolicy | undefined; clock?: Pick<HttpClock, 'sleep' | 'random'> | undefined } = {}): RemoteFilesConnector {
  const { retry, clock } = options;
  const fetchPolicy = fetchPolicyFrom(retry);
  return new RemoteFilesConnector({ label: 'Amazon S3', open: s3StoreOpener(), fetchPolicy, ...(clock ? { clock } : {}) });
}
