import fs from 'node:fs';
import type { InputFile } from '../source-connector.js';

/** How much of a file is looked at: the sniffer itself reads about this much. */
const sampleBytes = 64 * 1024;
/** How many files are looked at before the message stops listing them. */
const maxFiles = 3;

/** What the CSV reader was told: the source connection's `data.properties` that shape the reading. */
export interface CsvSettings {
  delimiter: string;
  quote: string;
  compressed: boolean;
}

/**
 * Says why DuckDB's CSV sniffer could not read files, in terms a person can act on: what the start of each file
 * holds (line endings, delimiters, quotes, encoding, compression) and which `data.properties` would read it.
 */
export function explainUnreadableCsv(files: InputFile[], settings: CsvSettings): string {
  const explained = files.slice(0, maxFiles).map((file) => {
    const findings = diagnose(sample(file.path), settings);
    return `${file.name ?? file.path}: ${findings.length > 0 ? findings.join('; ') : 'no line of it splits into the header\'s columns'}`;
  });
  const more = files.length > maxFiles ? ` (and ${files.length - maxFiles} more files)` : '';
  return `the CSV reader could not work out how these files are laid out${more}. ${explained.join('. ')}. The delimiter, quote, encoding and compression are set with data.properties.columnDelimiter, quote, encoding and compressionType`;
}

function sample(file: string): Buffer {
  const handle = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(sampleBytes);
    return buffer.subarray(0, fs.readSync(handle, buffer, 0, sampleBytes, 0));
  } finally {
    fs.closeSync(handle);
  }
}

function diagnose(bytes: Buffer, settings: CsvSettings): string[] {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b && !settings.compressed) return ['it is gzip-compressed: set data.properties.compressionType to gzip'];
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return ['it is UTF-16 (it starts with a UTF-16 byte order mark): set data.properties.encoding to UTF-16'];
  const text = bytes.toString('utf8');
  const findings: string[] = [];
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
  const cr = (text.match(/\r(?!\n)/g) ?? []).length;
  const endings = [[crlf, '\\r\\n'], [lf, '\\n'], [cr, '\\r']].filter(([count]) => Number(count) > 0);
  if (endings.length > 1) {
    findings.push(`it mixes line endings (${endings.map(([count, name]) => `${String(count)} lines end in ${String(name)}`).join(', ')}): save it with one kind of line ending`);
  }
  const lines = text.split(/\r\n|\n|\r/).slice(0, 20).filter((line) => line !== '');
  const header = lines[0] ?? '';
  if (!header.includes(settings.delimiter)) {
    const candidate = [',', ';', '\t', '|'].filter((d) => d !== settings.delimiter).map((d) => ({ d, n: header.split(d).length - 1 })).sort((a, b) => b.n - a.n)[0];
    if (candidate && candidate.n > 0) {
      const shown = candidate.d === '\t' ? 'a tab' : `"${candidate.d}"`;
      findings.push(`its header has no "${settings.delimiter}" but ${candidate.n} ${shown}: set data.properties.columnDelimiter to ${candidate.d === '\t' ? '"\\t"' : `"${candidate.d}"`}`);
    }
  }
  const unbalanced = lines.findIndex((line) => (line.split(settings.quote).length - 1) % 2 === 1);
  if (unbalanced >= 0) findings.push(`line ${unbalanced + 1} opens a ${settings.quote} quote it does not close: fix the line, or set data.properties.quote if ${settings.quote} is not the quote character`);
  if (text.includes('\uFFFD')) findings.push('it is not UTF-8: set data.properties.encoding (e.g. latin-1)');
  return findings;
}
