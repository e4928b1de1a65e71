import { findUnsafeShape } from './json-shape';

describe(findUnsafeShape.name, () => {
  const nest = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

  it('accepts ordinary JSON up to the depth bound', () => {
    expect(findUnsafeShape({ events: [{ id: 'e', properties: { toString: 'x' } }] })).toBeUndefined();
    expect(findUnsafeShape(nest(10), 10)).toBeUndefined();
    expect(findUnsafeShape('text')).toBeUndefined();
  });

  it('names the path where nesting passes the bound, without recursing', () => {
    expect(findUnsafeShape(nest(11), 10)?.field).toBe(`a${'.a'.repeat(9)}`);
    expect(findUnsafeShape(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))?.field).toMatch(/^\[0\]\[0\]/);
  });

  it.each([
    ['{"__proto__":{"admin":true}}', '__proto__'],
    ['{"user":{"constructor":{"prototype":1}}}', 'user.constructor'],
    ['{"list":[1,{"prototype":null}]}', 'list[1].prototype'],
  ])('refuses prototype keys anywhere: %s', (json, field) => {
    expect(findUnsafeShape(JSON.parse(json))).toMatchObject({ field });
  });
});
