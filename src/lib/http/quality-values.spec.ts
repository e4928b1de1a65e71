import { byQuality } from './quality-values';

describe('byQuality', () => {
  it.each([
    [undefined, []],
    ['', []],
    [
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      [
        { value: 'text/html', q: 1 },
        { value: 'application/xhtml+xml', q: 1 },
        { value: 'application/xml', q: 0.9 },
        { value: '*/*', q: 0.8 },
      ],
    ],
    [
      'de, fr;q=0.3, en;q=0',
      [
        { value: 'de', q: 1 },
        { value: 'fr', q: 0.3 },
      ],
    ],
    [' application/json ; charset=utf-8 ', [{ value: 'application/json', q: 1 }]],
  ])('%s', (header, expected) => {
    expect(byQuality(header)).toEqual(expected);
  });
});
