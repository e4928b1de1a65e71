import { Prng } from './prng';
import { varyQuery } from './query-variants';

describe('varyQuery', () => {
  const prng = new Prng(3);
  const variants = Array.from({ length: 400 }, () => varyQuery('white kitchen cabinets', prng));

  it('mostly keeps the query and sometimes pluralises, misspells, capitalises or pads it', () => {
    expect(variants.filter((v) => v === 'white kitchen cabinets').length).toBeGreaterThan(200);
    expect(variants).toContain('white kitchen cabinet');
    expect(variants.some((v) => /^White Kitchen/.test(v))).toBe(true);
    expect(variants.some((v) => / (ideas|inspiration|tips|best|cheap|2026|for beginners|diy)$/.test(v))).toBe(true);
    expect(
      variants.some((v) =>
        v
          .toLowerCase()
          .split(' ')
          .some(
            (w) =>
              ![
                'white',
                'whites',
                'kitchen',
                'kitchens',
                'cabinet',
                'cabinets',
                'ideas',
                'inspiration',
                'tips',
                'best',
                'cheap',
                '2026',
                'for',
                'beginners',
                'diy',
              ].includes(w),
          ),
      ),
    ).toBe(true);
  });

  it('is deterministic for a seed', () => {
    const again = new Prng(3);
    expect(Array.from({ length: 400 }, () => varyQuery('white kitchen cabinets', again))).toEqual(variants);
  });
});
