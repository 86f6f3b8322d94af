/**
 * The parts of the POSIX tar format (ustar, with pax extended headers) that backups use: regular files only.
 * A pax header carries what the ustar fields cannot hold: a path longer than 100 bytes, or a size of 8 GiB or more.
 */
export const blockSize = 512;

/** The largest size the ustar size field holds (11 octal digits). */
const maxUstarSize = 0o77777777777;

export type EntryType = 'file' | 'pax';

export interface HeaderFields {
  name: string;
  size: number;
  type: EntryType;
  /** Modification time, epoch milliseconds. */
  modified: number;
}

const typeFlags: Record<EntryType, string> = { file: '0', pax: 'x' };

/** The header block(s) for one file: a pax header first when the ustar fields cannot say it all. */
export function headerBlocks(name: string, size: number, modified: number): Buffer {
  const pathFits = Buffer.byteLength(name, 'utf8') <= 100 && /^[\x20-\x7e]*$/.test(name);
  const sizeFits = size <= maxUstarSize;
  if (pathFits && sizeFits) return ustarHeader({ name, size, type: 'file', modified });
  const records = paxRecords({ ...(pathFits ? {} : { path: name }), ...(sizeFits ? {} : { size: String(size) }) });
  const paxName = `PaxHeader/${ascii(name).slice(-80)}`;
  return Buffer.concat([
    ustarHeader({ name: paxName, size: records.length, type: 'pax', modified }),
    padded(records),
    ustarHeader({ name: ascii(name).slice(-100), size: sizeFits ? size : 0, type: 'file', modified }),
  ]);
}

/** Zero bytes that bring `size` up to a whole block. */
export function padding(size: number): Buffer {
  return Buffer.alloc((blockSize - (size % blockSize)) % blockSize);
}

/** Two zero blocks end an archive. */
export const endOfArchive = Buffer.alloc(2 * blockSize);

function ustarHeader(fields: HeaderFields): Buffer {
  const block = Buffer.alloc(blockSize);
  block.write(fields.name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, 0o600);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, fields.size);
  writeOctal(block, 136, 12, Math.floor(fields.modified / 1000));
  block.write(typeFlags[fields.type], 156, 1, 'latin1');
  block.write('ustar\0', 257, 6, 'latin1');
  block.write('00', 263, 2, 'latin1');
  // The checksum is summed with its own field read as spaces.
  block.fill(0x20, 148, 156);
  block.write(`${checksum(block).toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return block;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'latin1');
}

export function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < blockSize; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum;
}

/** pax records, `<length> <key>=<value>\n`, where the length counts the whole record, its own digits too. */
function paxRecords(values: Record<string, string>): Buffer {
  return Buffer.from(
    Object.entries(values)
      .map(([key, value]) => {
        const rest = Buffer.byteLength(` ${key}=${value}\n`, 'utf8');
        let length = rest + String(rest).length;
        if (String(length).length !== String(rest).length) length = rest + String(length).length;
        return `${length} ${key}=${value}\n`;
      })
      .join(''),
    'utf8',
  );
}

/** Reads pax records back; a malformed one is an error, since it would change a path or a size. */
export function parsePaxRecords(data: Buffer): Record<string, string> {
  const values: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const length = Number(data.subarray(offset, space).toString('latin1'));
    if (space < 0 || !Number.isInteger(length) || length <= 0 || offset + length > data.length) throw new Error('a pax header is malformed');
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals <= 0) throw new Error('a pax header is malformed');
    values[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return values;
}

function padded(data: Buffer): Buffer {
  return Buffer.concat([data, padding(data.length)]);
}

/** The ustar name of an entry with a pax path: printable ASCII, so other tools show something sensible. */
function ascii(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '_');
}
