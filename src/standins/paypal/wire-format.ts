/**
 * How PayPal writes times and money on the wire. The reporting API (transactions, balances) writes UTC times
 * with a `+0000` offset, as captured responses show (`"2021-07-01T07:00:00+0000"`); catalog products use
 * `...Z` without fractions and disputes `...Z` with milliseconds. Money is `{currency_code, value}` with the
 * value as a decimal string in the currency's own number of decimals.
 */

/** The `date_time` pattern of PayPal's specs ("Seconds are required while fractional seconds are optional"). */
export const DATE_TIME_PATTERN =
  /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])[T,t]([0-1][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)([.][0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$/;

/**
 * Parses a spec-conformant date-time into epoch ms; null when it does not match the pattern or names a day
 * that does not exist (the pattern lets 2024-02-31 through; the spec says it "does not reject all invalid dates").
 */
export function parseDateTime(value: string): number | null {
  if (value.length < 20 || value.length > 64) return null;
  const match = DATE_TIME_PATTERN.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (day > daysInMonth(year, month)) return null;
  const millis = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  let ms = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), millis);
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
    ms -= sign * offsetMinutes * 60_000;
  }
  return ms;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function utcParts(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Reporting API style: `2021-07-01T07:00:00+0000`. */
export function reportingTime(ms: number): string {
  return `${utcParts(ms)}+0000`;
}

/** Catalog style: `2019-01-10T21:29:17Z`. */
export function isoSeconds(ms: number): string {
  return `${utcParts(ms)}Z`;
}

/** Disputes style: `2019-04-11T04:18:00.000Z`. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** Decimal places per ISO-4217 currency, for the ones PayPal supports; unknown codes get 2. */
const ZERO_DECIMAL = new Set(['JPY', 'HUF', 'TWD']);

export function currencyDecimals(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : 2;
}

export interface Money {
  currency_code: string;
  value: string;
}

/** Minor units (cents, or yen) to PayPal's decimal string: 12345 USD -> "123.45", -5 USD -> "-0.05". */
export function formatMinor(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.round(minor));
  if (decimals === 0) return `${sign}${abs}`;
  const factor = 10 ** decimals;
  return `${sign}${Math.floor(abs / factor)}.${pad(abs % factor, decimals)}`;
}

export function money(minor: number, currency: string): Money {
  return { currency_code: currency, value: formatMinor(minor, currency) };
}

/** "12.34" (or 12.34) in `currency` to minor units; throws on a value with more decimals than the currency has. */
export function toMinor(value: string | number, currency: string): number {
  const text = typeof value === 'number' ? value.toFixed(currencyDecimals(currency)) : value.trim();
  const match = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!match) throw new Error(`not a money amount: '${text}'`);
  const decimals = currencyDecimals(currency);
  const fraction = match[3] ?? '';
  if (fraction.length > decimals) throw new Error(`${currency} has ${decimals} decimals, got '${text}'`);
  const minor = Number(match[2]) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
  return match[1] === '-' ? -minor : minor;
}

/** Accepts epoch ms or any string `Date` parses; the account API's convenience for tests. */
export function toEpochMs(value: number | string | Date): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) throw new Error(`not a time: ${String(value)}`);
  return ms;
}
