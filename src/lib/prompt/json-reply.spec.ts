import { parseJsonObject } from './json-reply';

describe('parseJsonObject', () => {
  it('reads an object', () => {
    expect(parseJsonObject('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([
    ['Sure, here it is', 'reply is not JSON'],
    ['[1, 2]', 'reply is not an object'],
    ['"text"', 'reply is not an object'],
    ['null', 'reply is not an object'],
  ])('refuses %s', (text, reason) => {
    expect(parseJsonObject(text)).toEqual({ ok: false, reason });
  });
});
