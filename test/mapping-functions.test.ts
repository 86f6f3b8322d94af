import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { CompileError, compileExpression } from '../src/mapping/compile-expression.js';
import { parseExpression } from '../src/mapping/parse-expression.js';
import { sqlIdentifier } from '../src/mapping/sql-text.js';

/** One source row; every expression below is evaluated against it in DuckDB, as a run would. */
const row = `SELECT 'ada' AS first, '  Lovelace ' AS last, 'a,b,c' AS tags, NULL::VARCHAR AS missing, '7' AS score, 3 AS n,
  '2024-07-02 03:04:05' AS stamp, '02/07/2024 05:04 +02:00' AS paris, '2024-07-02T03:04:05Z' AS iso`;

describe('Data Prep functions, run for real in DuckDB', () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-functions-'));
  let duck: DuckDbSession;
  beforeAll(async () => {
    duck = await DuckDbSession.open({ tempDirectory: temp });
  });
  afterAll(() => {
    duck?.close();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  /** The expression's value, with instants printed as ISO-8601 UTC so they compare as text. */
  const evaluate = async (expression: string): Promise<unknown> => {
    const sql = compileExpression(parseExpression(expression), (p) => sqlIdentifier(p));
    const [result] = await duck.rows(`SELECT v, typeof(v) AS type FROM (SELECT ${sql} AS v FROM (${row}))`);
    const instant = result?.type === 'TIMESTAMP WITH TIME ZONE' && typeof result.v === 'string' ? /^(\S+) (\d\d:\d\d:\d\d)(?:\.\d+)?\+00$/.exec(result.v) : null;
    return instant ? `${instant[1]}T${instant[2]}Z` : result?.v;
  };

  it.each([
    ['concat(first, "-", score)', 'ada-7'],
    ['upper(first)', 'ADA'],
    ['lower("ADA")', 'ada'],
    ['trim(last)', 'Lovelace'],
    ['substr(first, 1, 2)', 'da'],
    ['split(tags, ",")', ['a', 'b', 'c']],
    ['iif(n > 2, "big", "small")', 'big'],
    ['iif(n > 5, "big", "small")', 'small'],
    ['nvl(missing, "fallback")', 'fallback'],
    ['to_object("name", first, "score", score)', { name: 'ada', score: '7' }],
    ['to_array(false, first, missing, score)', ['ada', '7']],
    ['n * 2 + 1', '7'],
    ['n % 2 == 1', true],
    ['first.equals("ada")', true],
    ['iif(n > 2, n, "none")', '3'],
    ['nvl(missing, 5)', '5'],
    ['nvl(n, "none")', '3'],
    ['decode(first, "ada", 1, "none")', '1'],
  ])('%s', async (expression, expected) => {
    expect(await evaluate(expression)).toEqual(expected);
  });

  it.each([
    ['date(stamp, "yyyy-MM-dd HH:mm:ss")', '2024-07-02T03:04:05Z'],
    ['date(paris, "dd/MM/yyyy HH:mm XXX")', '2024-07-02T03:04:00Z'],
    ['date(iso, "yyyy-MM-dd\'T\'HH:mm:ssX")', '2024-07-02T03:04:05Z'],
    ['date(iso)', '2024-07-02T03:04:05Z'],
    ['date("not a date", "yyyy-MM-dd", "1970-01-01T00:00:00Z")', '1970-01-01T00:00:00Z'],
    ['date("not a date", "yyyy-MM-dd")', null],
    ['format(date(stamp, "yyyy-MM-dd HH:mm:ss"), "yyyy-MM-dd\'T\'HH:mm:ssXXX", "Europe/Paris")', '2024-07-02T05:04:05+02:00'],
    ['format(date(stamp, "yyyy-MM-dd HH:mm:ss"), "dd.MM.yyyy HH:mm z", "America/New_York")', '01.07.2024 23:04 America/New_York'],
    ['format(date(stamp, "yyyy-MM-dd HH:mm:ss"), "HH:mmX")', '03:04Z'],
    ['format(date(stamp, "yyyy-MM-dd HH:mm:ss"), "HH:mm Z", "Asia/Kolkata")', '08:34 +0530'],
    ['dformat(1719889445000, "yyyy-MM-dd HH:mm")', '2024-07-02 03:04'],
    ['zone_date_to_utc(stamp, "Europe/Paris")', '2024-07-02T01:04:05Z'],
    ['zone_date_to_utc(iso, "Europe/Paris")', '2024-07-02T03:04:05Z'],
    ['zone_date_to_zone(iso, "Asia/Kolkata")', '2024-07-02T08:34:05.000+05:30'],
    ['zone_date_to_zone(stamp, "America/Los_Angeles", "UTC")', '2024-07-02T10:04:05.000Z'],
  ])('%s', async (expression, expected) => {
    expect(await evaluate(expression)).toEqual(expected);
  });

  it('gives each call of now() and uuid() a value of the right shape', async () => {
    expect(await evaluate('now()')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await evaluate('uuid()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('refuses unknown zones and patterns when the mapping is compiled, not when a run meets them', () => {
    const compile = (expression: string) => () => compileExpression(parseExpression(expression), (p) => sqlIdentifier(p));
    expect(compile('format(now(), "yyyy", "Mars/Olympus")')).toThrow(CompileError);
    expect(compile('format(now(), "yyyy", "Mars/Olympus")')).toThrow(/not a time zone id/);
    expect(compile('zone_date_to_utc(stamp, first)')).toThrow(/string literals/);
    expect(compile('date(stamp, "yyyy-QQ")')).toThrow(/not supported/);
  });
});
