import type { MysqlSourceColumn } from './mysql-column-types.js';
import { isZeroDate } from './staged-csv.js';

/**
 * One raw value (the text protocol's bytes) as the explore preview shows it, shaped as it will land: numbers as
 * JSON numbers (an integer past 2^53 as its exact text), instants as ISO-8601 UTC, binary as base64, a SET as an
 * array, a zero date as null.
 *
 * @example
 * previewValue(mysqlColumn('paid_at', 'timestamp(3)'), Buffer.from('2024-03-01 12:00:00.500'))  // '2024-03-01T12:00:00.500Z'
 */
export function previewValue(column: MysqlSourceColumn, raw: Buffer | null): unknown {
  if (raw === null) return null;
  switch (column.encoding) {
    case 'number': {
      const text = raw.toString('latin1');
      const number = Number(text);
      if (column.xdm.type === 'integer' && !Number.isSafeInteger(number)) return text;
      return number;
    }
    case 'flag':
      return !(raw.length === 1 && raw[0] === 0x30);
    case 'bitFlag':
      return raw.some((byte) => byte !== 0);
    case 'bits': {
      let number = 0n;
      for (const byte of raw) number = (number << 8n) | BigInt(byte);
      return number <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(number) : number.toString();
    }
    case 'base64':
      return raw.toString('base64');
    case 'date': {
      const text = raw.toString('latin1');
      return isZeroDate(text) ? null : text;
    }
    case 'instant': {
      const text = raw.toString('latin1');
      return isZeroDate(text) ? null : text.replace(' ', 'T') + 'Z';
    }
    case 'text': {
      const text = raw.toString('utf8');
      if (column.duckType === 'VARCHAR[]') return text === '' ? [] : text.split(',');
      return text;
    }
  }
}
