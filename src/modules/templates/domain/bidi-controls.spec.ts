import { stripBidiControls, withoutBidiControls } from './bidi-controls';

describe('stripBidiControls', () => {
  it.each([
    ['Ana\u202e', 'Ana'],
    ['\u2066Ana\u2069 \u200eB\u200f\u061c', 'Ana B'],
    ['\u202a\u202b\u202c\u202d\u2067\u2068', ''],
    ['שלום Ana', 'שלום Ana'],
    ['\u{1F469}\u200d\u{1F373}', '\u{1F469}\u200d\u{1F373}'],
  ])('%j -> %j', (input, expected) => expect(stripBidiControls(input)).toBe(expected));
});

describe('withoutBidiControls', () => {
  it('cleans strings at any depth of plain objects and arrays, leaving the input as it was', () => {
    const context = { user: { name: 'Ana\u202e' }, list: ['a', { b: 'b\u2067' }], n: 3, none: null };
    expect(withoutBidiControls(context)).toEqual({ user: { name: 'Ana' }, list: ['a', { b: 'b' }], n: 3, none: null });
    expect(context.user.name).toBe('Ana\u202e');
  });

  it('returns a clean context itself, and shares its clean branches', () => {
    const clean = { user: { name: 'Ana' }, list: ['a'] };
    expect(withoutBidiControls(clean)).toBe(clean);
    const mixed = { clean: clean.user, dirty: 'x\u202e' };
    expect(withoutBidiControls(mixed).clean).toBe(clean.user);
  });

  it('keeps a null prototype and leaves other objects as they are', () => {
    const bare = Object.assign(Object.create(null) as Record<string, string>, { name: 'Ana\u202e' });
    const cleaned = withoutBidiControls(bare);
    expect(Object.getPrototypeOf(cleaned)).toBeNull();
    expect(cleaned.name).toBe('Ana');
    const date = new Date(0);
    expect(withoutBidiControls({ date }).date).toBe(date);
  });
});
