import { useEffect, useRef, useState } from 'preact/hooks';
import { gatewayHeaders, request, type Scope } from '../../api/client.js';
import { problemOf } from '../../api/problem.js';
import { useApi } from '../../state/use-api.js';
import { LoadedView, ProblemNotice } from '../../ui/states.js';
import { bytesText, countText } from './quantity-text.js';

/** One diagnostics file of a batch, as the export API lists it. */
interface DiagnosticsFile {
  name: string;
  length: string;
  _links: { self: { href: string } };
}

const exportApi = '/data/foundation/export/';

/** Only the export API is ever sent the gateway headers from a link an answer holds. */
function exportPath(href: string): string {
  if (!href.startsWith(exportApi)) throw new Error(`The server linked the rejected rows to ${href}, outside the export API; the console does not follow it.`);
  return href;
}

/** The files in a batch's `row_errors` folder, following the listing's pages (a few at most). */
async function readRejectedFiles(scope: Scope, manifest: string, signal: AbortSignal): Promise<DiagnosticsFile[]> {
  const files: DiagnosticsFile[] = [];
  let next: string | undefined = exportPath(manifest);
  for (let page = 0; next !== undefined && page < 20; page += 1) {
    const body: { data?: DiagnosticsFile[]; _links?: { next?: { href?: string } } } = await request(scope, 'GET', next, { signal });
    files.push(...(body.data ?? []));
    next = body._links?.next?.href;
  }
  return files;
}

/**
 * Fetches every file with the gateway headers (the token goes in a header, never in a URL) and joins them into one
 * NDJSON file, one rejected row a line with its reasons, offered through a Blob URL.
 */
async function downloadRejected(scope: Scope, files: DiagnosticsFile[]): Promise<Blob> {
  const parts: Blob[] = [];
  for (const file of files) {
    const href = exportPath(file._links.self.href);
    const response = await fetch(href, { headers: gatewayHeaders(scope) });
    if (!response.ok) {
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        // Quoted as it is.
      }
      throw problemOf(response.status, body, `GET ${href} answered ${response.status}.`);
    }
    const blob = await response.blob();
    parts.push(blob);
    // Files end with a newline; one that does not would run into the next file's first row.
    if (blob.size > 0 && (await blob.slice(-1).text()) !== '\n') parts.push(new Blob(['\n']));
  }
  return new Blob(parts, { type: 'application/x-ndjson' });
}

/** The rejected rows of a run whose flow keeps them: what the batch holds, and a download of all of it. */
export function RejectedRows({ scope, manifest, runId, failed }: { scope: Scope; manifest: string; runId: string; failed: number }) {
  const listed = useApi(scope, (s, signal) => readRejectedFiles(s, manifest, signal), [manifest]);
  return (
    <LoadedView loaded={listed} what="the rejected rows">
      {(files) =>
        files.length === 0 ? (
          <p class="empty">The run's batch holds no rejected rows.</p>
        ) : (
          <Download scope={scope} files={files} runId={runId} failed={failed} />
        )
      }
    </LoadedView>
  );
}

function Download({ scope, files, runId, failed }: { scope: Scope; files: DiagnosticsFile[]; runId: string; failed: number }) {
  const [url, setUrl] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Error>();
  const link = useRef<HTMLAnchorElement>(null);
  const fileName = `rejected-rows-${runId}.json`;
  // The Blob URL holds the rows in memory until it is revoked: when the page is left.
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);
  useEffect(() => {
    if (url) link.current?.click();
  }, [url]);

  const prepare = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const blob = await downloadRejected(scope, files);
      setUrl(URL.createObjectURL(blob));
    } catch (error) {
      setProblem(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setBusy(false);
    }
  };

  const bytes = files.reduce((sum, file) => sum + Number(file.length), 0);
  return (
    <div class="rejected">
      <p>
        {countText(failed)} row{failed === 1 ? ' was' : 's were'} rejected. The batch keeps them, each with its reasons, in {files.length} file
        {files.length === 1 ? '' : 's'} ({bytesText(bytes)}): {files.map((f) => f.name).join(', ')}.
      </p>
      {url ? (
        <p>
          <a ref={link} href={url} download={fileName}>
            Save the rejected rows again ({fileName})
          </a>
        </p>
      ) : (
        <button type="button" onClick={() => void prepare()} disabled={busy}>
          {busy ? 'Downloading…' : 'Download rejected rows'}
        </button>
      )}
      {problem ? <ProblemNotice error={problem} retry={() => void prepare()} /> : null}
    </div>
  );
}
