import { RenderedEmail, RenderedPush } from '../template.types';
import { escapeHtml, LinkRecorder, linkProblem, linksPresent, resolveMessageLinks } from './links';
import { TemplateError } from './templates.errors';

const TEMPLATE = { ref: 'email/x', locale: 'default', hash: '0' };

describe('LinkRecorder', () => {
  it('records one link per destination and returns its placeholder', () => {
    const recorder = new LinkRecorder('abcdef012345');
    const a = recorder.click('https://example.com/a');
    expect(recorder.click(' https://example.com/a ')).toBe(a);
    const b = recorder.unsubscribe(undefined);
    expect([a, b]).toEqual(['__jc_abcdef012345_c1__', '__jc_abcdef012345_u2__']);
    expect(recorder.links).toEqual([
      { id: 'c1', kind: 'click', url: 'https://example.com/a', placeholder: a },
      { id: 'u2', kind: 'unsubscribe', url: 'all', placeholder: b },
    ]);
    expect(escapeHtml(a)).toBe(a);
    expect(encodeURIComponent(a)).toBe(a);
  });

  it.each([
    ['javascript:alert(1)', /javascript: links are not allowed/],
    ['  JavaScript:alert(1)', /javascript: links are not allowed/],
    ['data:text/html,<script>', /data: links are not allowed/],
    ['/relative/path', /not an absolute URL/],
  ])('refuses %s', (url, message) => {
    expect(linkProblem(url)).toMatch(message);
    expect(() => new LinkRecorder('abcdef012345').click(url)).toThrow(TemplateError);
  });

  it('accepts web, mail and app links', () => {
    for (const url of ['https://x.test', 'http://x.test', 'mailto:a@x.test', 'journeycast://open']) {
      expect(linkProblem(url)).toBeUndefined();
    }
  });

  it('needs an unguessable nonce', () => {
    expect(() => new LinkRecorder('1')).toThrow();
    expect(() => new LinkRecorder('ABC_def_123')).toThrow();
  });
});

describe('resolveMessageLinks', () => {
  const recorder = new LinkRecorder('0123456789abcdef');
  const click = recorder.click('https://example.com/a');
  const unsubscribe = recorder.unsubscribe('digest');
  const forged = '__jc_ffffffffffffffff_c1__';
  const resolver = (link: { id: string }) => `https://t.test/${link.id}?sig=a&b="c"`;

  it('replaces placeholders in every part of an email, escaping the URL in HTML only', () => {
    const email: RenderedEmail = {
      channel: 'email',
      subject: `s ${click}`,
      preheader: 'p',
      html: `<a href="${click}">a</a> <a href="${unsubscribe}">u</a> ${forged}`,
      text: `a (${click}) u (${unsubscribe}) ${forged}`,
      links: recorder.links,
      template: TEMPLATE,
    };
    const resolved = resolveMessageLinks(email, resolver);
    expect(resolved.html).toBe(
      `<a href="https://t.test/c1?sig&#x3D;a&amp;b&#x3D;&quot;c&quot;">a</a> <a href="https://t.test/u2?sig&#x3D;a&amp;b&#x3D;&quot;c&quot;">u</a> ${forged}`,
    );
    expect(resolved.text).toBe(`a (https://t.test/c1?sig=a&b="c") u (https://t.test/u2?sig=a&b="c") ${forged}`);
    expect(resolved.subject).toBe('s https://t.test/c1?sig=a&b="c"');
    expect(email.html).toContain(click); // the original is left as it was
  });

  it('replaces placeholders in the title, body, deep link and data of a push', () => {
    const push: RenderedPush = {
      channel: 'push',
      title: 't',
      body: `b ${forged}`,
      deepLink: click,
      data: { unsubscribe },
      links: recorder.links,
      truncated: [],
      template: TEMPLATE,
    };
    const resolved = resolveMessageLinks(push, (link) => `https://t.test/${link.id}`);
    expect(resolved).toMatchObject({
      body: `b ${forged}`,
      deepLink: 'https://t.test/c1',
      data: { unsubscribe: 'https://t.test/u2' },
    });
  });

  it('keeps only the links still present after truncation', () => {
    expect(linksPresent(recorder.links, [`x ${unsubscribe}`])).toEqual([recorder.links[1]]);
  });
});
