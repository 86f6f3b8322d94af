import fs from 'node:fs';

/**
 * The last field of a staged CSV file's last row: the keyset text `COPY` wrote after the row's columns. It holds no
 * comma, quote or newline (see `keyText`), so it is the text after the file's last comma; only the tail is read.
 */
export function readLastKey(file: string, size: number): string {
  const handle = fs.openSync(file, 'r');
  try {
    // The tail grows until it holds a comma: a key written as hex may be long.
    for (let length = Math.min(size, 4096); ; length = Math.min(size, length * 4)) {
      const buffer = Buffer.alloc(length);
      fs.readSync(handle, buffer, 0, length, size - length);
      const tail = buffer.toString('utf8').replace(/\r?\n$/, '');
      const comma = tail.lastIndexOf(',');
      if (comma !== -1) {
        const field = tail.slice(comma + 1);
        // An empty text key is the one value COPY quotes.
        return field === '""' ? '' : field;
      }
      if (length === size) throw new Error('the staged page has no key column');
    }
  } finally {
    fs.closeSync(handle);
  }
}
