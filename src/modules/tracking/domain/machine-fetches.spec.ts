import { classifyFetch, Fetch } from './machine-fetches';

const SENT = new Date('2026-03-02T09:00:00Z');
const LATER = new Date(SENT.getTime() + 3_600_000);
const WINDOW = 10_000;
const SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const OUTLOOK = 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)';
const GMAIL = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';

const fetchOf = (overrides: Partial<Fetch>): Fetch => ({
  method: 'GET',
  userAgent: SAFARI,
  address: '203.0.113.7',
  at: LATER,
  sentAt: SENT,
  ...overrides,
});

describe('classifyFetch', () => {
  it.each([
    ['Apple Mail on an iPhone', {}],
    ['Outlook desktop', { userAgent: OUTLOOK }],
    ['a reader on IPv6', { address: '2001:db8::1' }],
    ['a reader just outside the window', { at: new Date(SENT.getTime() + WINDOW) }],
    ['a push tapped at once', { channel: 'push' as const, at: new Date(SENT.getTime() + 1000) }],
    ['a push tapped before its send time was written', { channel: 'push' as const, sentAt: undefined }],
  ])('counts %s as human', (_label, overrides) => {
    expect(classifyFetch(fetchOf(overrides), WINDOW)).toEqual({ machine: false });
  });

  it.each([
    ['a HEAD request', { method: 'HEAD' }, 'head-request'],
    ['a prefetch', { purpose: 'prefetch' }, 'prefetch'],
    ['no user agent', { userAgent: undefined }, 'no-user-agent'],
    ['a blank user agent', { userAgent: '  ' }, 'no-user-agent'],
    ['the bare agent of Apple Mail Privacy Protection', { userAgent: 'Mozilla/5.0' }, 'apple-mpp'],
    ['an Apple IPv4 proxy', { address: '17.58.101.3' }, 'apple-mpp'],
    ['an Apple IPv6 proxy', { address: '2620:149:a:b::1' }, 'apple-mpp'],
    ['Mimecast', { userAgent: 'Mimecast URL scanner/1.0' }, 'scanner'],
    ['Barracuda', { userAgent: 'Mozilla/5.0 (compatible; Barracuda Sentinel)' }, 'scanner'],
    ['a headless browser', { userAgent: 'Mozilla/5.0 HeadlessChrome/120.0' }, 'scanner'],
    ['curl', { userAgent: 'curl/8.5.0' }, 'scanner'],
    ['a crawler', { userAgent: 'Mozilla/5.0 (compatible; bingbot/2.0)' }, 'scanner'],
    ['a chat link preview', { userAgent: 'Slackbot-LinkExpanding 1.0' }, 'link-preview'],
    ['a fetch before the send was recorded', { sentAt: undefined }, 'before-send'],
    ['a fetch within seconds of sending', { at: new Date(SENT.getTime() + 2_000) }, 'too-soon'],
  ])('flags %s', (_label, overrides, reason) => {
    expect(classifyFetch(fetchOf(overrides as Partial<Fetch>), WINDOW)).toEqual({ machine: true, reason });
  });

  it('counts an open through Google’s or Yahoo’s image proxy as human, noting the proxy', () => {
    expect(classifyFetch(fetchOf({ userAgent: GMAIL, address: '66.249.88.1' }), WINDOW)).toEqual({
      machine: false,
      proxy: 'google',
    });
    expect(classifyFetch(fetchOf({ userAgent: 'YahooMailProxy; https://help.yahoo.com' }), WINDOW)).toMatchObject({
      proxy: 'yahoo',
    });
  });

  it('still applies the timing rule to proxied fetches, and drops it when the window is 0', () => {
    const quick = fetchOf({ userAgent: GMAIL, at: new Date(SENT.getTime() + 1_000) });
    expect(classifyFetch(quick, WINDOW)).toEqual({ machine: true, reason: 'too-soon' });
    expect(classifyFetch(quick, 0)).toEqual({ machine: false, proxy: 'google' });
  });

  it.each([
    ['Mozilla/5.0 (Linux; Android 10; CUBOT_X19) Chrome/120'],
    ['Mozilla/5.0 (Linux; Android 11; CUBOT NOTE 20 PRO) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile'],
    ['Mozilla/5.0 (Linux; Android 12; CUBOT KINGKONG 7 Build/SP1A.210812.016) AppleWebKit/537.36 Chrome/119'],
  ])('does not mistake a device name that contains "bot" for a bot: %s', (userAgent) => {
    expect(classifyFetch(fetchOf({ userAgent }), WINDOW)).toEqual({ machine: false });
  });

  it.each([
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
    ['Mozilla/5.0 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)'],
    ['Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)'],
    ['Mozilla/5.0 (compatible; Exabot)'],
    ['AdsBot-Google (+http://www.google.com/adsbot.html)'],
    ['SomeBot'],
  ])('still flags a crawler naming itself a bot: %s', (userAgent) => {
    expect(classifyFetch(fetchOf({ userAgent }), WINDOW)).toEqual({ machine: true, reason: 'scanner' });
  });
});
