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

  it.each([
    ['{"query":"caf\\ud800"}', 'query'],
    ['{"list":["ok","\\udc00x"]}', 'list[1]'],
    ['{"map":{"k\\udfff":1}}', 'map["k\\udfff"]'],
    ['"\\ud83d"', ''],
  ])('refuses a string or key with half a surrogate pair: %s', (json, field) => {
    expect(findUnsafeShape(JSON.parse(json))).toMatchObject({ field });
  });

  it('accepts whole surrogate pairs', () => {
    expect(findUnsafeShape(JSON.parse('{"q":"mug \\ud83d\\ude00","\\ud83d\\ude00":1}'))).toBeUndefined();
  });
});
