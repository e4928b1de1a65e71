import { attribute, decodeEntities, scanHtml } from './html-scan';

function tokens(html: string): string[] {
  const out: string[] = [];
  scanHtml(html, {
    text: (text) => out.push(`text ${JSON.stringify(text)}`),
    tag: (name, closing, attributes) => out.push(`${closing ? '/' : ''}${name}${attributes}`),
  });
  return out;
}

describe('scanHtml', () => {
  it('reads text and tags, lower-casing names and keeping attributes', () => {
    expect(tokens('<P Class="x">Hi <B>there</B></P>')).toEqual([
      'p Class="x"',
      'text "Hi "',
      'b',
      'text "there"',
      '/b',
      '/p',
    ]);
  });

  it('skips comments, doctypes and CDATA, and keeps a < that opens no tag as text', () => {
    expect(tokens('<!DOCTYPE html><!-- <p>x</p> -->a < b <3 <br/>')).toEqual([
      'text "a "',
      'text "<"',
      'text " b "',
      'text "<"',
      'text "3 "',
      'br/',
    ]);
    expect(tokens('x <!-- never closed')).toEqual(['text "x "']);
    expect(tokens('x < y')).toEqual(['text "x "', 'text "<"', 'text " y"']);
  });

  it('ends a tag at the first > outside a quoted attribute value', () => {
    expect(tokens(`<img alt="Next >" src='a>b.png' title=x>after`)).toEqual([
      `img alt="Next >" src='a>b.png' title=x`,
      'text "after"',
    ]);
    // A quote inside an unquoted value, or outside any value, opens nothing.
    expect(tokens(`<img alt=it's src=x.png>a<p "x">b<i title = "c>d">e`)).toEqual([
      `img alt=it's src=x.png`,
      'text "a"',
      'p "x"',
      'text "b"',
      'i title = "c>d"',
      'text "e"',
    ]);
    // A quote never closed: the tag is not one, its < reads as text.
    expect(tokens('a <img alt="b> c')).toEqual(['text "a "', 'text "<"', 'text "img alt=\\"b> c"']);
  });
});

describe('decodeEntities', () => {
  it.each([
    ['Tom &amp; Jerry', 'Tom & Jerry'],
    ['&lt;b&gt; &quot;q&quot; &#39;s&#x27;', '<b> "q" \'s\''],
    ['&eacute;, &Eacute;, &#233; and &#xE9; decode, &bogus; stays', 'é, É, é and é decode, &bogus; stays'],
    ['a&#0;b&#x110000;c', 'abc'],
    ['&#12x; &#xzz; & alone; &;', '&#12x; &#xzz; & alone; &;'],
    ['no references', 'no references'],
  ])('%s', (text, decoded) => {
    expect(decodeEntities(text)).toBe(decoded);
  });
});

describe('attribute', () => {
  it('reads double-quoted, single-quoted and bare values, decoded', () => {
    expect(attribute(' href="https://x.test/?a=1&amp;b=2"', 'href')).toBe('https://x.test/?a=1&b=2');
    expect(attribute(" HREF='https://x.test'", 'href')).toBe('https://x.test');
    expect(attribute(' href=https://x.test title="t"', 'href')).toBe('https://x.test');
    expect(attribute(' data-href="x"', 'href')).toBeUndefined();
    expect(attribute(' title="t"', 'href')).toBeUndefined();
  });

  it("never reads an attribute out of another one's quoted value", () => {
    expect(attribute(' title="see alt=Boo" alt="Real"', 'alt')).toBe('Real');
    expect(attribute(` data-x='a href="https://evil.test"'`, 'href')).toBeUndefined();
  });
});
