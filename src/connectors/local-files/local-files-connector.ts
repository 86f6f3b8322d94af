import { sqlString } from '../../mapping/sql-text.js';
import { SourceConfigError, type ExtractRequest, type Extracted, type InputFile, type SourceConnector } from '../source-connector.js';
import { explainUnreadableCsv, type CsvSettings } from './csv-diagnosis.js';
import { changedFiles, localFilesState, readLocalFilesState } from './file-changes.js';
import { salvageJsonLines } from './json-lines-salvage.js';
import { resolveLocalFiles } from './local-file-paths.js';

/** The "Local Files" connection spec this connector reads. */
export const localFilesSpecId = 'f2c9e5d4-7a3b-4e61-9c08-5d1b2a6f3e7c';

/**
 * Files on this machine: CSV/TSV, JSON (lines or arrays) and Parquet, read by DuckDB where they lie. It remembers
 * each file's size and modification time in its state, so a flow without a delta column reads only the files
 * that are new or changed since its last successful run.
 */
export const localFilesConnector: SourceConnector = {
  async extract(request: ExtractRequest): Promise<Extracted> {
    const root = request.auth.rootPath;
    const requested = request.params.path;
    if (typeof root !== 'string' || typeof requested !== 'string') throw new SourceConfigError('the connection needs rootPath and the source connection params.path');
    const files = resolveLocalFiles(root, requested);
    const state = localFilesState(files);
    const toRead = request.changedOnly ? changedFiles(files, readLocalFilesState(request.state)) : files;
    if (toRead.length === 0) return { relation: null, inputFiles: [], state };
    return { ...readFiles(toRead, request.data, request.stagingDir), state };
  },
};

/** How the engine reads these files: the reader, and where unparsable records go. */
export function readFiles(files: InputFile[], data: Record<string, unknown>, stagingDir: string): Extracted {
  const paths = files.map((f) => f.path);
  const extracted: Extracted = { relation: readerFor(paths, data), inputFiles: files };
  if (data.format === 'delimited') {
    extracted.rejects = csvRejects;
    extracted.explainFailure = (error) => (error instanceof Error && /sniffing file/i.test(error.message) ? explainUnreadableCsv(files, csvSettings(data)) : undefined);
  }
  const compressionType = formatProperties(data).compressionType;
  if (data.format === 'json') extracted.salvage = salvageJsonLines(paths, stagingDir, compression(typeof compressionType === 'string' ? compressionType : undefined));
  return extracted;
}

/** DuckDB's CSV reader keeps the lines it could not parse (store_rejects) in `reject_errors`. */
const csvRejects = "SELECT csv_line AS raw, line, error_type || ': ' || error_message AS message FROM reject_errors";

/** The delimiter, quote and compression a delimited source is read with (DuckDB's defaults when unset). */
function csvSettings(data: Record<string, unknown>): CsvSettings {
  const properties = formatProperties(data);
  const option = (key: string) => (typeof properties[key] === 'string' ? (properties[key] as string) : undefined);
  const compressionType = option('compressionType');
  return { delimiter: option('columnDelimiter') ?? option('delimiter') ?? ',', quote: option('quote') ?? '"', compressed: compressionType !== undefined && compressionType !== 'none' };
}

/** The DuckDB reader for the files in the source connection's format. */
export function readerFor(files: string[], data: Record<string, unknown>): string {
  const list = `[${files.map(sqlString).join(', ')}]`;
  const properties = formatProperties(data);
  const option = (key: string) => (typeof properties[key] === 'string' ? (properties[key] as string) : undefined);
  switch (data.format) {
    case 'delimited': {
      const options = [
        'header = true',
        `delim = ${sqlString(option('columnDelimiter') ?? option('delimiter') ?? ',')}`,
        `quote = ${sqlString(option('quote') ?? '"')}`,
        `compression = ${sqlString(compression(option('compressionType')))}`,
        `encoding = ${sqlString(encoding(option('encoding')))}`,
        'filename = false',
        // One malformed line must not fail the run (nor fool the sniffer): it is set aside and reported.
        'store_rejects = true',
      ];
      return `read_csv(${list}, ${options.join(', ')})`;
    }
    case 'json': {
      // read_json detects compression itself and has no 'auto' value to ask for it.
      const compressed = compression(option('compressionType'));
      return `read_json(${list}, format = 'auto'${compressed === 'auto' ? '' : `, compression = ${sqlString(compressed)}`})`;
    }
    case 'parquet':
      return `read_parquet(${list}, union_by_name = true)`;
    default:
      throw new SourceConfigError(`data.format "${String(data.format)}" is not a file format (delimited, json or parquet)`);
  }
}

function formatProperties(data: Record<string, unknown>): Record<string, unknown> {
  return typeof data.properties === 'object' && data.properties !== null ? (data.properties as Record<string, unknown>) : {};
}

function compression(value: string | undefined): string {
  if (value === undefined || value === 'none') return value === 'none' ? 'none' : 'auto';
  if (value === 'gzip' || value === 'gz') return 'gzip';
  if (value === 'zstd') return 'zstd';
  throw new SourceConfigError(`compressionType "${value}" is not supported (gzip, zstd or none)`);
}

function encoding(value: string | undefined): string {
  const normalised = (value ?? 'utf-8').toLowerCase().replace('_', '-');
  if (['utf-8', 'utf8'].includes(normalised)) return 'utf-8';
  if (['utf-16', 'utf16'].includes(normalised)) return 'utf-16';
  if (['latin-1', 'latin1', 'iso-8859-1'].includes(normalised)) return 'latin-1';
  throw new SourceConfigError(`encoding "${value ?? ''}" is not supported (UTF-8, UTF-16 or ISO-8859-1)`);
}
