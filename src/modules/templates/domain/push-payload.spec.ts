import { DELIVERY_RESERVE_BYTES, fitPush, LINK_BUDGET_BYTES, pushPayloadBytes, requirePushText } from './push-payload';
import { TemplateError } from './templates.errors';

const LIMITS = { titleMaxChars: 30, bodyMaxChars: 80, payloadMaxBytes: 4096 };
const words = (word: string, n: number) => Array.from({ length: n }, () => word).join(' ');

describe('pushPayloadBytes', () => {
  it('counts the UTF-8 JSON of notification and data, the deep link twice, and what delivery adds', () => {
    const parts = { title: 'é', body: 'b', deepLink: 'app://x', data: { k: 'v' } };
    const json = JSON.stringify({
      notification: { title: 'é', body: 'b' },
      data: { k: 'v', deepLink: 'app://x' },
      url: 'app://x',
    });
    expect(pushPayloadBytes(parts)).toBe(Buffer.byteLength(json) + DELIVERY_RESERVE_BYTES);
  });

  it('counts every link placeholder at the size of a signed URL', () => {
    const placeholder = '__jc_0123456789abcdef_c1__';
    const plain = pushPayloadBytes({ title: 't', body: 'b', data: { k: 'v' } });
    const linked = pushPayloadBytes({ title: 't', body: 'b', deepLink: placeholder, data: { k: 'v' } });
    expect(linked - plain).toBe(',"deepLink":""'.length + ',"url":""'.length + 2 * LINK_BUDGET_BYTES);
  });
});

describe('requirePushText', () => {
  it.each([
    ['a title', { title: 'Kitchen', body: '' }],
    ['a body', { title: '', body: 'Three new ideas' }],
    ['both', { title: 'Kitchen', body: 'Three new ideas' }],
  ])('lets a push with %s through', (_, parts) => {
    expect(() => requirePushText(parts)).not.toThrow();
  });

  it.each([
    ['empty', { title: '', body: '' }],
    ['blank', { title: ' ', body: '\n' }],
  ])('refuses a push whose title and body are both %s', (_, parts) => {
    expect(() => requirePushText(parts)).toThrow(
      expect.objectContaining({ code: 'templates.empty-push', message: "the push's title and body both render empty" }),
    );
  });
});

describe('fitPush', () => {
  it('leaves a push within its limits untouched', () => {
    const parts = { title: 'Kitchen', body: 'Three new ideas', data: { a: 'b' } };
    expect(fitPush(parts, LIMITS, 'en')).toEqual({ parts, truncated: [] });
  });

  it('cuts title and body to their character limits on word boundaries', () => {
    const parts = { title: words('kitchen', 6), body: words('remodel', 20), data: {} };
    const { parts: fitted, truncated } = fitPush(parts, LIMITS, 'en');
    expect(fitted.title).toBe('kitchen kitchen kitchen…');
    expect(fitted.body).toBe(words('remodel', 10) + '…');
    expect(truncated).toEqual(['title', 'body']);
  });

  it('counts title and body characters as a reader sees them: a flag or a family emoji is one', () => {
    const parts = {
      title: 'Trip: \u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}\u{1F1EE}\u{1F1F9}\u{1F1EA}\u{1F1F8}',
      body: 'With 👨‍👩‍👧 and 👨‍👩‍👧‍👦',
      data: {},
    };
    const limits = { ...LIMITS, titleMaxChars: 10, bodyMaxChars: 12 };
    expect(fitPush(parts, limits, 'en')).toEqual({ parts, truncated: [] });
    const cut = fitPush(parts, { ...limits, titleMaxChars: 9 }, 'en');
    expect(cut.parts.title).toBe('Trip…');
    expect(cut.truncated).toEqual(['title']);
  });

  it('trims data values first, largest first, when the payload is over its byte limit', () => {
    const limits = { ...LIMITS, payloadMaxBytes: 600 };
    const parts = { title: 'Kitchen', body: 'Ideas', data: { small: 'keep me', large: words('tile', 200) } };
    const { parts: fitted, truncated } = fitPush(parts, limits, 'en');
    expect(truncated).toEqual(['data']);
    expect(fitted.data.small).toBe('keep me');
    expect(fitted.data.large.endsWith('tile…')).toBe(true);
    expect(pushPayloadBytes(fitted)).toBeLessThanOrEqual(600);
    expect(pushPayloadBytes(fitted)).toBeGreaterThan(560);
  });

  it('then trims the body, then the title', () => {
    const limits = { titleMaxChars: 1000, bodyMaxChars: 2000, payloadMaxBytes: DELIVERY_RESERVE_BYTES + 400 };
    const parts = { title: words('title', 100), body: words('body', 300), data: { k: words('data', 50) } };
    const { parts: fitted, truncated } = fitPush(parts, limits, 'en');
    expect(truncated).toEqual(['title', 'body', 'data']);
    expect(fitted.data.k).toBe('');
    expect(fitted.body).toBe('');
    expect(fitted.title.endsWith('title…')).toBe(true);
    expect(pushPayloadBytes(fitted)).toBeLessThanOrEqual(DELIVERY_RESERVE_BYTES + 400);
  });

  it('refuses a push whose title and body would both be cut to nothing to fit', () => {
    const deepLink = `app://${'x'.repeat(300)}`;
    const bare = pushPayloadBytes({ title: '', body: '', deepLink, data: {} });
    const parts = { title: 'Kitchen', body: 'Three new ideas', deepLink, data: {} };
    expect(() => fitPush(parts, { ...LIMITS, payloadMaxBytes: bare + 3 }, 'en')).toThrow(
      expect.objectContaining({ code: 'templates.payload-too-large' }),
    );
  });

  it('never cuts the deep link: a payload still too large is an error', () => {
    const parts = { title: 't', body: 'b', deepLink: `app://${'x'.repeat(500)}`, data: {} };
    expect(() => fitPush(parts, { ...LIMITS, payloadMaxBytes: 300 }, 'en')).toThrow(TemplateError);
  });
});
