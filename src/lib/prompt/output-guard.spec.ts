import { findBlockedTerm, guardGeneratedText } from './output-guard';

describe('guardGeneratedText', () => {
  const options = { maxLength: 40, maxWords: 4, blockedTerms: ['casino', 'weight loss pills'] };

  it.each<[string, unknown, string | null]>([
    ['plain name', '  Kitchen   Renovation ', null],
    ['non-string', 42, 'not a string'],
    ['empty', '   ', 'empty'],
    ['too long', 'x'.repeat(41), 'longer than 40 characters'],
    ['too many words', 'one two three four five', 'more than 4 words'],
    ['url', 'Visit evil.com now', 'contains a URL'],
    ['http url', 'see https://x.y/z', 'contains a URL'],
    ['url on another top-level domain', 'Tiles at kitchen-deals.shop', 'contains a URL'],
    ['url with another scheme', 'ftp://tiles', 'contains a URL'],
    ['e-mail address', 'Write help@tiles.store', 'contains a URL'],
    ['ip address', 'Tiles at 203.0.113.9', 'contains a URL'],
    ['html', '<b>Kitchen</b>', 'contains HTML'],
    ['entity', 'Tom &amp; Jerry', 'contains HTML'],
    ['markdown emphasis', '**Kitchen** Renovation', 'contains Markdown'],
    ['markdown code', 'Kitchen `Renovation`', 'contains Markdown'],
    ['markdown heading', '# Kitchen Renovation', 'contains Markdown'],
    ['template syntax', 'Kitchen {{firstName}}', 'contains template syntax'],
    ['control character', 'Kitchen\u0007', 'control characters'],
    ['bidi override', 'Kitchen\u202e', 'control characters'],
    ['blocked word', 'Casino Nights', 'contains the blocked term "casino"'],
    ['blocked phrase', 'Weight-Loss Pills', 'contains the blocked term "weight loss pills"'],
    ['blocked word split by a zero-width space', 'Casi\u200bno Nights', 'contains the blocked term "casino"'],
    ['blocked word split by a soft hyphen', 'Ca\u00adsino Nights', 'contains the blocked term "casino"'],
    ['url split by a word joiner', 'Visit evil\u2060.com', 'contains a URL'],
    ['html split by a zero-width joiner', '<\u200db>Kitchen</b>', 'contains HTML'],
  ])('%s', (_case, input, reason) => {
    const result = guardGeneratedText(input, options);
    if (reason === null) expect(result).toEqual({ ok: true, text: 'Kitchen Renovation' });
    else expect(result).toEqual({ ok: false, reason });
  });

  it('allows URLs and HTML when the template allows them', () => {
    expect(guardGeneratedText('<b>see x.com</b>', { maxLength: 100, allowHtml: true, allowUrls: true }).ok).toBe(true);
  });

  it.each([
    ['<b>Kitchen</b> ideas'],
    ['<STRONG>Kitchen</STRONG><br>ideas <i>and</i> <em>more</em><br/>soon<br />'],
    ['Tom &amp; Jerry: 3 < 5'],
  ])('allows inline emphasis without attributes where HTML is allowed: %s', (text) => {
    expect(guardGeneratedText(text, { maxLength: 100, allowHtml: true })).toEqual({ ok: true, text });
  });

  it.each([
    ['<script>alert(1)</script>', '"<script>"'],
    ['See <a href="https://x.example">this</a>', '"<a href=\\"https://x.example\\">"'],
    ['<img src=x onerror=alert(1)>', '"<img src=x onerror=alert(1)>"'],
    ['<style>body{display:none}</style>', '"<style>"'],
    ['<b onclick="steal()">Kitchen</b>', '"<b onclick=\\"steal()\\">"'],
    ['<b style="font-size:40px">Kitchen</b>', '"<b style=\\"font-size:40px\\">"'],
    ['Kitchen <!-- hidden -->', '"<!-- hidden -->"'],
    ['Kitchen <svg', '"<svg"'],
    ['Kitchen <\u200ba href=x>', '"<a href=x>"'],
  ])('refuses other HTML where HTML is allowed: %s', (text, tag) => {
    expect(guardGeneratedText(text, { maxLength: 100, allowHtml: true, allowUrls: true })).toEqual({
      ok: false,
      reason: `contains HTML other than <b>, <strong>, <i>, <em> and <br> without attributes (${tag})`,
    });
  });

  it.each([
    ['<b>Kitchen ideas', 'leaves <b> open'],
    ['<b><i>Kitchen</b></i>', 'closes <b> out of order'],
    ['Kitchen</em>', 'closes <em> out of order'],
  ])('refuses emphasis left open or closed out of order: %s', (text, reason) => {
    expect(guardGeneratedText(text, { maxLength: 100, allowHtml: true })).toEqual({ ok: false, reason });
  });

  it('counts characters as the limits and the push fitting do: an emoji is one', () => {
    const text = `Kitchen ${'\u{1F3E0}'.repeat(32)}`;
    expect(guardGeneratedText(text, { maxLength: 40 })).toEqual({ ok: true, text });
    expect(guardGeneratedText(`${text}!`, { maxLength: 40 })).toEqual({
      ok: false,
      reason: 'longer than 40 characters',
    });
  });

  it('does not take the full stop between two Japanese or Chinese sentences for a URL', () => {
    for (const text of [
      '子犬のしつけを続けましょう。次の一歩はこちら',
      '继续训练小狗。看看新的想法',
      'puppyの検索から。次の一歩',
    ]) {
      expect(guardGeneratedText(text, { maxLength: 40 })).toEqual({ ok: true, text });
    }
    expect(guardGeneratedText('Visit example\u3002com', { maxLength: 40 })).toMatchObject({ reason: 'contains a URL' });
    expect(guardGeneratedText('Lesen bei bücher.de', { maxLength: 40 })).toMatchObject({ reason: 'contains a URL' });
  });

  it('does not take abbreviations or version numbers for URLs', () => {
    for (const text of ['Tiles, e.g. slate', 'Carrelage, p.ex. ardoise', 'Fliesen z.B. Schiefer', 'Version 2.5.1']) {
      expect(guardGeneratedText(text, { maxLength: 40 })).toEqual({ ok: true, text });
    }
  });

  it('keeps emoji sequences, which need their invisible joiners', () => {
    expect(guardGeneratedText('Kitchen \u{1F469}\u200d\u{1F373}\u2764\ufe0f', { maxLength: 40 })).toEqual({
      ok: true,
      text: 'Kitchen \u{1F469}\u200d\u{1F373}\u2764\ufe0f',
    });
  });

  it('matches blocked terms in scripts whose words carry marks as whole words', () => {
    // Without its marks, केसर (saffron) read like कैंसर (cancer), and ปูน (cement) like ปืน (gun).
    expect(findBlockedTerm('केसर की खीर', ['कैंसर'])).toBeUndefined();
    expect(findBlockedTerm('कैंसर से लड़ाई', ['कैंसर'])).toBe('कैंसर');
    expect(findBlockedTerm('ปูน สำหรับบ้าน', ['ปืน'])).toBeUndefined();
    expect(findBlockedTerm('ปืน ของเล่น', ['ปืน'])).toBe('ปืน');
  });

  it('matches a blocked term written with or without its accents', () => {
    expect(findBlockedTerm('Cocaína barata', ['cocaina'])).toBe('cocaina');
    expect(findBlockedTerm('Cocaine', ['cocaïne'])).toBe('cocaïne');
  });

  it('matches blocked terms on word boundaries only', () => {
    expect(findBlockedTerm('Casinovia Resort', ['casino'])).toBeUndefined();
    expect(findBlockedTerm('the CASINO night', ['casino'])).toBe('casino');
  });
});
