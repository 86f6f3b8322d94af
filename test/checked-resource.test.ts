import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { checkedResource } from '../src/store/checked-resource.js';

/** Stored bodies are read back through their kind's schema: a body of another shape fails, saying where. */
describe('a stored body read back checked', () => {
  const Shape = Type.Object({ name: Type.String(), state: Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]), ids: Type.Array(Type.String()) }, { additionalProperties: true });
  const stored = (body: unknown) => ({ kind: 'test.thing', id: 'thing-1', body, secret: null, etag: '"1"', createdAt: 1, updatedAt: 2 });

  it('passes a body of the shape through, typed, with whatever else it holds', () => {
    const checked = checkedResource(Shape, stored({ name: 'a', state: 'enabled', ids: ['x'], extra: { kept: true } }), 'thing');
    expect(checked.body.ids).toEqual(['x']);
    expect(checked.body).toMatchObject({ extra: { kept: true } });
  });

  it.each([
    [{ name: 'a', state: 'paused', ids: [] }, '/state'],
    [{ name: 'a', state: 'enabled', ids: [7] }, '/ids/0'],
    [{ state: 'enabled', ids: [] }, '/'],
    ['not an object', '/'],
  ])('refuses %j, naming the resource and %s', (body, where) => {
    expect(() => checkedResource(Shape, stored(body), 'thing')).toThrow(new RegExp(`^thing thing-1 does not have the stored thing shape \\(${where.replace(/\//g, '\\/')} `));
  });
});
