import { joinList } from './lists';
import { formatNumber, plural } from './numbers';
import { TemplateError } from './templates.errors';

const ideas = { one: '# idea', other: '# ideas' };
const idees = { one: '# idée', other: '# idées' };
const pomysly = { one: '# pomysł', few: '# pomysły', many: '# pomysłów', other: '# pomysłu' };

describe('plural', () => {
  it.each([
    ['en', 0, ideas, '0 ideas'],
    ['en', 1, ideas, '1 idea'],
    ['en', 2, ideas, '2 ideas'],
    ['en', 1234, ideas, '1,234 ideas'],
    // French uses the singular for 0 and 1.5, and formats numbers its own way.
    ['fr', 0, idees, '0 idée'],
    ['fr', 1.5, idees, '1,5 idée'],
    ['fr', 2, idees, '2 idées'],
    ['fr', 1234, idees, '1 234 idées'],
    // Polish has few and many.
    ['pl', 3, pomysly, '3 pomysły'],
    ['pl', 5, pomysly, '5 pomysłów'],
    ['pl', 22, pomysly, '22 pomysły'],
  ])('%s %d', (locale, count, forms, expected) => {
    expect(plural(count, forms, locale).replace(/\s/g, ' ')).toBe(expected);
  });

  it('uses zero for exactly 0 when given, and other when a category is missing', () => {
    expect(plural(0, { zero: 'no ideas yet', ...ideas }, 'en')).toBe('no ideas yet');
    expect(plural(3, { other: '# items' }, 'pl')).toBe('3 items');
    expect(plural('4', ideas, 'en')).toBe('4 ideas');
  });

  it('writes a form given as a number as its text, and refuses one that is no text as a value of that recipient', () => {
    // A hash value is whatever the template passed: a literal number, or a variable of the render context.
    const forms = { one: 1, other: 2 } as unknown as Parameters<typeof plural>[1];
    expect(plural(1, forms, 'en')).toBe('1');
    expect(plural(3, forms, 'en')).toBe('2');
    const odd = { one: { label: 'x' }, other: '# ideas' } as unknown as Parameters<typeof plural>[1];
    expect(() => plural(1, odd, 'en')).toThrow(TemplateError);
    expect(() => plural(1, odd, 'en')).toThrow(/plural's one form must be text/);
    expect(plural(2, odd, 'en')).toBe('2 ideas');
    // A form whose variable is missing is no form: the next one applies.
    const missing = { zero: null, other: '# ideas' } as unknown as Parameters<typeof plural>[1];
    expect(plural(0, missing, 'en')).toBe('0 ideas');
  });

  it('needs other and a number', () => {
    expect(() => plural(1, { one: 'x' }, 'en')).toThrow(/other/);
    expect(() => plural('many', ideas, 'en')).toThrow(TemplateError);
  });
});

describe('formatNumber', () => {
  it.each([
    ['en-US', 1234.5, {}, '1,234.5'],
    ['de-DE', 1234.5, {}, '1.234,5'],
    ['en-US', 0.256, { style: 'percent' }, '26%'],
    ['en-US', 12_300, { style: 'compact' }, '12K'],
    ['fr-FR', 9.5, { style: 'currency', currency: 'EUR' }, '9,50 €'],
    ['en-US', 3.14159, { maximumFractionDigits: 2 }, '3.14'],
  ])('%s %d %j', (locale, value, options, expected) => {
    expect(formatNumber(value, locale, options).replace(/\s/g, ' ')).toBe(expected);
  });

  it('refuses unknown styles and currency without a code', () => {
    expect(() => formatNumber(1, 'en', { style: 'roman' })).toThrow(TemplateError);
    expect(() => formatNumber(1, 'en', { style: 'currency' })).toThrow(/currency/);
    expect(formatNumber(undefined, 'en')).toBe('');
  });

  it('refuses a currency code or fraction digits Intl cannot use as a value error, not a crash', () => {
    expect(() => formatNumber(1, 'en', { style: 'currency', currency: 'EURO' })).toThrow(TemplateError);
    expect(() => formatNumber(1, 'en', { maximumFractionDigits: 500 })).toThrow(TemplateError);
  });
});

describe('joinList', () => {
  it.each([
    ['en', ['tiles', 'paint', 'lights'], {}, 'tiles, paint, and lights'],
    ['en-GB', ['tiles', 'paint', 'lights'], {}, 'tiles, paint and lights'],
    ['fr', ['carrelage', 'peinture', 'luminaires'], {}, 'carrelage, peinture et luminaires'],
    ['en', ['tiles', 'paint'], { type: 'or' }, 'tiles or paint'],
    ['en', [{ name: 'Kitchen' }, { name: 'Garden' }], { key: 'name' }, 'Kitchen and Garden'],
    ['en', ['a', '', null, 'b', 'c', 'd'], { limit: 2 }, 'a and b'],
    ['en', 'single', {}, 'single'],
  ])('%s %j', (locale, list, options, expected) => {
    expect(joinList(list, locale, options)).toBe(expected);
  });

  it('never reads inherited properties through key', () => {
    expect(joinList([{ name: 'x' }], 'en', { key: 'constructor' })).toBe('');
    expect(() => joinList(['a'], 'en', { type: 'xor' })).toThrow(TemplateError);
  });
});
