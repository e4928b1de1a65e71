import fc from 'fast-check';
import { truncateHtml } from './truncate-html';

describe('truncateHtml', () => {
  it.each([
    ['keeps HTML within the limit as it is', 'Tom <b>&amp;</b> Jerry', 11, 'Tom <b>&amp;</b> Jerry'],
    ['counts an entity as the one character it shows', 'Tom &amp; Jerry are here', 12, 'Tom &amp; Jerry…'],
    ['never cuts inside an entity', 'Caf&eacute;&eacute;&eacute;&eacute;&eacute;', 6, 'Caf&eacute;&eacute;…'],
    [
      'never counts or cuts a tag',
      '<a href="https://x.test/a">Read</a> the whole story',
      10,
      '<a href="https://x.test/a">Read</a> the…',
    ],
    [
      'closes the tags it leaves open',
      'See <b>your <i>kitchen ideas</i> today</b>',
      18,
      'See <b>your <i>kitchen…</i></b>',
    ],
    [
      'never counts or cuts a tag with a > in a quoted value',
      `<a title="Read > more" href='https://x.test/a>b'>Read</a> the whole story`,
      10,
      `<a title="Read > more" href='https://x.test/a>b'>Read</a> the…`,
    ],
    [
      'counts a flag as one character',
      '<b>\u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}</b> go',
      5,
      '<b>\u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}</b> go',
    ],
    ['drops tags that open after the cut', 'Your ideas <em>await</em>', 12, 'Your ideas…'],
    ['reads a line break as a space', 'One<br>two three', 8, 'One<br>two…'],
    ['collapses spaces as they are shown', 'One     two   three', 8, 'One     two…'],
  ])('%s', (_name, html, limit, expected) => {
    expect(truncateHtml(html, limit, { locale: 'en' })).toBe(expected);
  });

  it('leaves no tag or entity broken and no tag open', () => {
    const piece = fc.constantFrom('word ', '&amp; ', '&eacute;t&eacute; ', '<b>', '</b>', '<i>', '</i>', '<br>', '😀 ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 1, max: 40 }), (pieces, limit) => {
        // Well-formed input: every tag it opens is closed.
        const open: string[] = [];
        const html = pieces
          .filter((p) => {
            if (p === '<b>' || p === '<i>') return open.push(p[1]) > 0;
            if (p === '</b>' || p === '</i>') return open[open.length - 1] === p[2] && open.pop() !== undefined;
            return true;
          })
          .join('');
        const closed =
          html +
          open
            .reverse()
            .map((t) => `</${t}>`)
            .join('');
        const result = truncateHtml(closed, limit);
        expect(result).not.toMatch(/&[a-z]*(?![a-z;])|<[^>]*$/i);
        const stack: string[] = [];
        for (const [, slash, name] of result.matchAll(/<(\/?)(b|i)>/g)) {
          if (slash) expect(stack.pop()).toBe(name);
          else stack.push(name);
        }
        expect(stack).toEqual([]);
        const visible = result.replace(/<[^>]+>/g, '').replace(/&[a-z]+;/g, 'x');
        expect([...visible].length).toBeLessThanOrEqual(Math.max(limit, result === closed ? Infinity : 0));
      }),
    );
  });
});
