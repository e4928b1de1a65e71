import { FreeFormRules, MAX_DOCUMENT_DEPTH, freeFormErrors, keyProblem } from './free-form';

const PROPERTIES: FreeFormRules = { level: 2, nested: true, maxSize: 1000 };
const FLAT: FreeFormRules = { level: 2, nested: false, maxSize: 1000, maxKeys: 3, maxKeyLength: 8, maxStringLength: 5 };

function fields(value: unknown, rules = PROPERTIES): string[] {
  return freeFormErrors(value, 'p', rules).map((e) => e.field);
}

describe(freeFormErrors.name, () => {
  it('accepts names that are Object.prototype members and nested data', () => {
    expect(fields({ toString: 1, hasOwnProperty: 'x', valueOf: [{ a: null }], nested: { b: true } })).toEqual([]);
  });

  it.each([
    [{ 'a\u0000b': 1 }, 'p["a\\u0000b"]'],
    [{ $gt: 1 }, 'p.$gt'],
    [{ 'a.b': 1 }, 'p["a.b"]'],
    [{ '': 1 }, 'p[""]'],
    [JSON.parse('{"__proto__":1}'), 'p.__proto__'],
    [{ list: [{ constructor: 1 }] }, 'p.list[0].constructor'],
    [{ n: Infinity }, 'p.n'],
    [{ deep: { n: -Infinity } }, 'p.deep.n'],
    [{ n: NaN }, 'p.n'],
  ])('refuses %j naming %s', (value, field) => {
    expect(fields(value)).toEqual([field]);
  });

  it('bounds nesting so the stored document stays within MongoDB depth', () => {
    const nest = (levels: number) => JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`) as unknown;
    const allowed = MAX_DOCUMENT_DEPTH - PROPERTIES.level + 1;
    expect(fields(nest(allowed))).toEqual([]);
    expect(fields(nest(allowed + 1))).toEqual(['p']);
    expect(fields(nest(5000))).toEqual(['p']);
  });

  it('bounds size, keys and scalars for flat maps', () => {
    expect(fields({ a: 'x'.repeat(2000) })).toEqual(['p']);
    expect(fields({ a: 1, b: 2, c: 3, d: 4 }, FLAT)).toEqual(['p']);
    expect(fields({ longer_key: 1 }, FLAT)).toEqual(['p.longer_key']);
    expect(fields({ a: 'abcdef' }, FLAT)).toEqual(['p.a']);
    expect(fields({ a: { b: 1 } }, FLAT)).toEqual(['p.a']);
    expect(fields(['a'], FLAT)).toEqual(['p']);
  });

  it('counts every value that is not a string as 8, empty arrays and objects included', () => {
    expect(fields({ a: Array.from({ length: 123 }, () => []) })).toEqual([]);
    expect(fields({ a: Array.from({ length: 125 }, () => ({})) })).toEqual(['p']);
    expect(fields({ a: Array.from({ length: 125 }, () => 1) })).toEqual(['p']);
  });

  it('says why a key cannot be stored', () => {
    expect(keyProblem('ok')).toBeUndefined();
    expect(keyProblem('$set')).toMatch(/"\$"/);
  });
});
