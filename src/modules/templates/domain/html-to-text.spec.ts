import { htmlToText } from './html-to-text';

describe('htmlToText', () => {
  it.each([
    ['paragraphs become blank-line separated', '<p>One</p><p>Two</p>', 'One\n\nTwo'],
    ['line breaks and divs become new lines', '<div>One<br>Two</div><div>Three</div>', 'One\nTwo\nThree'],
    [
      'links show their URL after the text',
      '<p>See <a href="https://x.test/a?b=1&amp;c=2">ideas</a>.</p>',
      'See ideas (https://x.test/a?b=1&c=2).',
    ],
    ['a link whose text is its URL is shown once', '<a href="https://x.test">https://x.test</a>', 'https://x.test'],
    ['anchors and empty links add nothing', '<a href="#top">Top</a> <a>plain</a>', 'Top plain'],
    ['bullet lists', '<ul><li>Tiles</li><li>Paint</li></ul>', '- Tiles\n- Paint'],
    ['numbered lists', '<ol><li>Measure</li><li>Order</li></ol>', '1. Measure\n2. Order'],
    [
      'a numbered list starts where its start says',
      '<ol start="4"><li>Paint</li><li>Light</li></ol>',
      '4. Paint\n5. Light',
    ],
    [
      'an item with a value numbers on from it',
      '<ol><li>A</li><li value="10">B</li><li>C</li></ol>',
      '1. A\n10. B\n11. C',
    ],
    [
      'an image reads as its alt text',
      '<p><img src="k.png" alt="Kitchen &amp; bath"> ideas</p>',
      'Kitchen & bath ideas',
    ],
    [
      'a link of only an image reads as its alt text and URL',
      '<p><a href="https://x.test/j"><img src="b.png" alt="See your ideas"></a></p>',
      'See your ideas (https://x.test/j)',
    ],
    [
      'a > inside a quoted attribute value does not end its tag',
      `<p><a href="https://x.test/n" title='a > b'><img alt="Next >" src="n.png"></a> page</p>`,
      'Next > (https://x.test/n) page',
    ],
    ['alt text is decoded once', '<img alt="Write &amp;amp; for &amp;">', 'Write &amp; for &'],
    [
      'an image without alt text, or hidden, adds nothing',
      '<p>Hi<img src="p.gif" alt=""><img alt="x" style="display:none"></p>',
      'Hi',
    ],
    ['nested lists are indented', '<ul><li>A<ul><li>B</li></ul></li></ul>', '- A\n  - B'],
    [
      'an item whose text is in a paragraph starts on its marker',
      '<ul>\n<li><p>Tiles</p></li>\n<li><p>Paint</p></li>\n</ul>',
      '- Tiles\n- Paint',
    ],
    [
      'an item of blocks keeps its later blocks under its text',
      '<p>Steps:</p><ol><li><div>Measure</div><p>twice</p></li><li><h3>Order</h3></li></ol><p>Done</p>',
      'Steps:\n\n1. Measure\n\n   twice\n2. Order\n\nDone',
    ],
    [
      'entities are decoded',
      '<p>Tom &amp; Jerry &lt;3 &bogus;&#233;&#x263A; &hellip;</p>',
      'Tom & Jerry <3 &bogus;é☺ …',
    ],
    [
      'the named entities of accented letters and common symbols are decoded, case and all',
      '<p>Cr&eacute;ez &Agrave; bient&ocirc;t &ndash; Stra&szlig;e &rarr; &OElig;uvre, Se&ntilde;or &iquest;&uuml;? 2&deg; &frac12;</p>',
      'Créez À bientôt – Straße → Œuvre, Señor ¿ü? 2° ½',
    ],
    [
      'a name that is no entity stays as written',
      '<p>a &constructor; &hasOwnProperty; b</p>',
      'a &constructor; &hasOwnProperty; b',
    ],
    [
      'a preformatted block keeps its spaces and line breaks',
      '<p>Run:</p><pre>\nnpm  install\n    --save &lt;pkg&gt;\n\tdone</pre><p>Then  restart</p>',
      'Run:\n\nnpm  install\n    --save <pkg>\n\tdone\n\nThen restart',
    ],
    [
      "a preformatted block in a list item keeps the item's indent",
      '<ul><li>Type<pre>a\n  b</pre></li></ul>',
      '- Type\n\n  a\n    b',
    ],
    [
      'zero-width spaces, joiners and the BOM padding text are dropped, with or without entities',
      '<p>Pre\u200bview\ufeff here\u200c\u034f \u200d</p><p>a\u200b&amp;\u200cb</p>',
      'Preview here\n\na&b',
    ],
    [
      'joiners inside an emoji or between letters stay',
      '<p>\u{1F468}\u200d\u{1F469}\u200d\u{1F467} &amp; \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645</p>',
      '\u{1F468}\u200d\u{1F469}\u200d\u{1F467} & \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645',
    ],
    ['spaces collapse', '<p>  many\n\n   spaces\there </p>', 'many spaces here'],
    [
      'head, style and script are dropped',
      '<head><title>T</title><style>p{}</style></head><script>x()</script><p>Body</p>',
      'Body',
    ],
    [
      'hidden elements (the preheader) are dropped',
      '<div style="display:none;max-height:0">Preview&zwnj;</div><p>Body</p>',
      'Body',
    ],
    ['nested hidden elements stay hidden', '<div style="display: none"><div>a</div>b</div><p>c</p>', 'c'],
    ['comments are dropped', '<p>a<!-- <p>b</p> -->c</p>', 'ac'],
    ['table cells go on their own lines', '<table><tr><td>A</td><td>B</td></tr></table>', 'A\nB'],
    ['a stray < is kept', '<p>1 < 2</p>', '1 < 2'],
    ['headings are paragraphs', '<h1>Hi Ana,</h1>Welcome', 'Hi Ana,\n\nWelcome'],
  ])('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('turns a whole email into readable text without tags or entities', () => {
    const html =
      '<!DOCTYPE html><html><head><meta charset="utf-8"><title>S</title></head><body>' +
      '<div style="display:none">Preheader&#847;&zwnj;&nbsp;</div><table><tr><td>' +
      '<h1>Hi Ana,</h1><p>Your journeys:</p><ul><li><strong>Kitchen</strong><br>tiles, paint</li></ul>' +
      '</td></tr></table><p><a href="__jc_abcdefgh_u1__">Unsubscribe</a></p></body></html>';
    const text = htmlToText(html);
    expect(text).toBe('Hi Ana,\n\nYour journeys:\n\n- Kitchen\n  tiles, paint\n\nUnsubscribe (__jc_abcdefgh_u1__)');
    expect(text).not.toMatch(/<[a-z]|&[a-z]+;/i);
  });
});
