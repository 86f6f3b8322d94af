import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFilesConnector } from '../src/connectors/local-files/local-files-connector.js';
import { DuckDbSession } from '../src/lake/duckdb-session.js';
import { CompileError } from '../src/mapping/compile-expression.js';
import { compileMapping, type SourceColumn } from '../src/mapping/compile-mapping.js';
import type { MappingRule } from '../src/mapping/mapping-rule.js';
import { resolveFull } from '../src/xdm/resolve-full.js';
import type { JsonObject } from '../src/xdm/standard/json-value.js';
import { findStandard } from '../src/xdm/standard/standard-library.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-files-'));
const rule = (destination: string, source: string, sourceType: MappingRule['sourceType'] = 'ATTRIBUTE', extra: Partial<MappingRule> = {}): MappingRule => ({
  sourceType, source, destination, identity: false, identityGroup: null, namespaceCode: null, primaryIdentity: false, ...extra,
});

/** Profile + person details + personal details + identity map, as the tutorial's schema resolves. */
const schema = resolveFull(
  {
    $id: 'https://ns.adobe.com/test/schemas/1',
    allOf: [
      { $ref: 'https://ns.adobe.com/xdm/context/profile' },
      { $ref: 'https://ns.adobe.com/xdm/context/profile-person-details' },
      { $ref: 'https://ns.adobe.com/xdm/context/profile-personal-details' },
      { $ref: 'https://ns.adobe.com/xdm/context/identitymap' },
    ],
  },
  (id) => findStandard(id) as JsonObject | undefined,
);

describe('mappings compiled to DuckDB SQL over local files', () => {
  let duck: DuckDbSession;
  let columns: SourceColumn[];
  let relation: string;

  beforeAll(async () => {
    fs.mkdirSync(path.join(root, 'customers'));
    fs.writeFileSync(
      path.join(root, 'customers', 'part-1.csv'),
      'id,first,last,email,born,score\nC1,ada,lovelace,ada@example.com,1815,10\nC2,alan,turing,,1912,x\nC3,,,grace@example.com,not-a-year,7\n',
    );
    fs.writeFileSync(path.join(root, 'outside.csv'), 'id\nZ\n');
    duck = await DuckDbSession.open({ tempDirectory: path.join(root, '.tmp') });
    const extracted = await localFilesConnector.extract({ auth: { rootPath: root }, params: { path: 'customers/*.csv' }, data: { format: 'delimited' }, stagingDir: root });
    if (extracted.relation === null) throw new Error('a first read always has a relation');
    relation = extracted.relation;
    columns = (await duck.rows(`DESCRIBE SELECT * FROM ${relation}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  });
  afterAll(() => {
    duck?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('writes nested XDM rows, converts types and reports each bad value with its reason', async () => {
    const compiled = compileMapping(
      [
        rule('_id', 'id'),
        rule('person.name.firstName', 'upper(first)', 'EXPRESSION'),
        rule('person.name.lastName', 'last'),
        rule('person.birthYear', 'born'),
        rule('personalEmail.address', 'email', 'ATTRIBUTE', { identity: true, namespaceCode: 'Email', primaryIdentity: true }),
        rule('person.gender', 'female', 'STATIC'),
      ],
      schema,
      columns,
    );
    const rows = await duck.rows(`${compiled.select(relation)} ORDER BY "_id"`);
    expect(compiled.columns).toEqual(['_id', 'person', 'personalEmail', 'identityMap']);
    expect(rows[0]).toMatchObject({
      _id: 'C1',
      person: { name: { firstName: 'ADA', lastName: 'lovelace' }, birthYear: 1815, gender: 'female' },
      personalEmail: { address: 'ada@example.com' },
      _errors: [],
    });
    expect(rows[0]?.identityMap).toEqual([{ key: 'Email', value: [{ id: 'ada@example.com', authenticatedState: 'ambiguous', primary: true }] }]);
    expect(rows[1]?.personalEmail).toBeNull();
    expect(rows[2]?._errors).toEqual([{ code: 'MAPPER-3700-400', message: 'person.birthYear: cannot convert to short (not-a-year)' }]);
  });

  it('rejects values that break the schema\'s length, pattern, format and bounds, saying which rule', async () => {
    const constrained = {
      type: 'object',
      properties: {
        _id: { type: 'string' },
        code: { type: 'string', pattern: '^[A-Z]{2}$' },
        email: { type: 'string', format: 'email' },
        short: { type: 'string', maxLength: 4 },
        score: { type: 'integer', minimum: 8, maximum: 20 },
      },
    } as JsonObject;
    const compiled = compileMapping(
      [rule('_id', 'id'), rule('code', 'upper(substr(first, 0, 2))', 'EXPRESSION'), rule('email', 'email'), rule('short', 'last'), rule('score', 'score')],
      constrained,
      columns,
    );
    const rows = await duck.rows(`SELECT "_id", code, email, short, score, _errors FROM (${compiled.select(relation)}) ORDER BY "_id"`);
    const messages = (i: number) => ((rows[i]?._errors ?? []) as { message: string }[]).map((e) => e.message);
    // C1: ada lovelace, ada@example.com, score 10: everything fits but the 8-letter last name.
    expect(rows[0]).toMatchObject({ _id: 'C1', code: 'AD', email: 'ada@example.com', short: null, score: '10' });
    expect(messages(0)).toEqual(['short: longer than 4 characters (lovelace)']);
    // C2: score "x" does not convert; C3: no first name, score 7 is below the minimum.
    expect(messages(1)).toEqual(['short: longer than 4 characters (turing)', 'score: cannot convert to integer (x)']);
    expect(rows[2]).toMatchObject({ code: null, email: 'grace@example.com', score: null });
    expect(messages(2)).toEqual(['score: less than 8 (7)']);
  });

  it('refuses a schema pattern that cannot be checked, when the mapping is compiled', () => {
    const lookahead = { type: 'object', properties: { _id: { type: 'string', pattern: '^(?=a).*' } } } as JsonObject;
    expect(() => compileMapping([rule('_id', 'id')], lookahead, columns)).toThrow(/lookaround/);
  });

  it('maps lists element by element with [*], converting each element and naming the one that does not convert', async () => {
    fs.writeFileSync(
      path.join(root, 'orders.json'),
      [
        { id: 'O1', items: [{ sku: 'A', qty: '2', price: 1.5 }, { sku: 'B', qty: '1', price: 4 }], tags: ['new', 'gift'], extra: { lines: [{ name: 'x' }] } },
        { id: 'O2', items: [{ sku: 'C', qty: 'many' }], tags: [] },
        { id: 'O3', items: null, tags: null },
      ].map((o) => JSON.stringify(o)).join('\n'),
    );
    const orders = `read_json(['${path.join(root, 'orders.json')}'], format = 'newline_delimited', columns = {id: 'VARCHAR', items: 'STRUCT(sku VARCHAR, qty VARCHAR, price DOUBLE)[]', tags: 'VARCHAR[]', extra: 'JSON'})`;
    const orderColumns = (await duck.rows(`DESCRIBE SELECT * FROM ${orders}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    const listSchema = {
      type: 'object',
      properties: {
        _id: { type: 'string' },
        productListItems: { type: 'array', items: { type: 'object', properties: { SKU: { type: 'string' }, quantity: { type: 'integer' }, priceTotal: { type: 'number' } } } },
        labels: { type: 'array', items: { type: 'string', maxLength: 4 } },
        lineNames: { type: 'array', items: { type: 'string' } },
      },
    } as JsonObject;
    const compiled = compileMapping(
      [
        rule('_id', 'id'),
        rule('productListItems[*].SKU', 'items[*].sku'),
        rule('productListItems[*].quantity', 'items[*].qty'),
        rule('productListItems[*].priceTotal', 'items[*].price'),
        rule('labels[*]', 'tags[*]'),
        rule('lineNames[*]', 'extra.lines[*].name'),
      ],
      listSchema,
      orderColumns,
    );
    const rows = await duck.rows(`${compiled.select(orders)} ORDER BY "_id"`);
    expect(rows[0]).toMatchObject({
      _id: 'O1',
      productListItems: [{ SKU: 'A', quantity: '2', priceTotal: 1.5 }, { SKU: 'B', quantity: '1', priceTotal: 4 }],
      labels: ['new', 'gift'],
      lineNames: ['x'],
      _errors: [],
    });
    expect(rows[1]?._errors).toEqual([{ code: 'MAPPER-3700-400', message: 'productListItems[*].quantity: cannot convert element 1 to integer (many)' }]);
    // An element that converts but breaks its field's constraint (labels are at most 4 characters) rejects the row too.
    const longLabel = (await duck.rows(`SELECT _errors FROM (${compiled.select(`(SELECT 'O9' AS id, NULL::STRUCT(sku VARCHAR, qty VARCHAR, price DOUBLE)[] AS items, ['ok', 'too long'] AS tags, NULL::JSON AS extra)`)})`))[0];
    expect(longLabel?._errors).toEqual([{ code: 'MAPPER-3700-400', message: 'labels[*]: cannot convert element 2 to string (longer than 4 characters) (too long)' }]);
    expect(rows[2]).toMatchObject({ _id: 'O3', productListItems: null, labels: null, _errors: [] });
    const valid = await duck.rows(`SELECT "_id", _valid FROM (${compiled.select(orders, { verdict: 'valid' })}) ORDER BY "_id"`);
    expect(valid.map((r) => r._valid)).toEqual([true, false, true]);
    expect(() => compileMapping([rule('productListItems[*].SKU', 'id')], listSchema, orderColumns)).toThrow(/needs a \[\*\] source path/);
    expect(() => compileMapping([rule('_id', 'items[*].sku')], listSchema, orderColumns)).toThrow(/map it to a \[\*\] destination/);
  });

  it('adds numbers and concatenates text with +', async () => {
    const compiled = compileMapping([rule('_id', 'id'), rule('person.name.fullName', 'first + " " + last', 'EXPRESSION'), rule('person.birthYear', 'born + 1', 'EXPRESSION')], schema, columns);
    const rows = await duck.rows(`${compiled.select(relation)} ORDER BY "_id"`);
    expect(rows[0]).toMatchObject({ person: { name: { fullName: 'ada lovelace' }, birthYear: 1816 } });
  });

  it('refuses a mapping that reads a column the source does not have, naming the columns it has', () => {
    expect(() => compileMapping([rule('_id', 'Product_Id')], schema, columns)).toThrow(CompileError);
    expect(() => compileMapping([rule('_id', 'Product_Id')], schema, columns)).toThrow(/no column "Product_Id".*id, first, last/);
  });

  it('never reads outside the connection root', async () => {
    await expect(localFilesConnector.extract({ auth: { rootPath: path.join(root, 'customers') }, params: { path: '../outside.csv' }, data: { format: 'delimited' }, stagingDir: root })).rejects.toThrow(/may not contain/);
    fs.symlinkSync(path.join(root, 'outside.csv'), path.join(root, 'customers', 'link.csv'));
    const extracted = await localFilesConnector.extract({ auth: { rootPath: path.join(root, 'customers') }, params: { path: '*.csv' }, data: { format: 'delimited' }, stagingDir: root });
    expect(extracted.inputFiles.map((f) => path.basename(f.path))).toEqual(['part-1.csv']);
  });
});
