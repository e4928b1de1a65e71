import { distinctPushTokens, pushTokenProblem } from './push-token-format';

const subscription = (endpoint: string, keys: object = { p256dh: 'BNcR-key_1', auth: 'tBHI-2' }) =>
  JSON.stringify({ endpoint, keys });

describe('pushTokenProblem', () => {
  it.each([
    ['fcm', 'dGVzdA:APA91bH-abc_123'],
    ['apns', 'a1B2c3D4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90'],
    ['webpush', subscription('https://push.example.com/send/abc')],
  ] as const)('accepts a %s device token', (platform, token) => {
    expect(pushTokenProblem(platform, token)).toBeUndefined();
  });

  it.each([
    ['fcm', 'two words', 'no spaces'],
    ['fcm', 'line\nbreak', 'no spaces'],
    ['apns', 'zz not hex', 'hexadecimal'],
    ['apns', 'abc', 'hexadecimal'],
    ['webpush', 'notjson', 'JSON.stringify(subscription)'],
    ['webpush', subscription('http://push.example.com/send/abc'), 'https endpoint'],
    ['webpush', subscription('https://push.example.com/send/abc', { p256dh: 'k' }), 'p256dh and auth'],
  ] as const)('refuses %s token %j, saying why', (platform, token, why) => {
    expect(pushTokenProblem(platform, token)).toContain(why);
  });
});

describe('distinctPushTokens', () => {
  it('keeps the first of each platform and token, in order', () => {
    const tokens = [
      { platform: 'fcm', token: 'a' },
      { platform: 'apns', token: 'ab' },
      { platform: 'fcm', token: 'a' },
      { platform: 'fcm', token: 'ab' },
    ] as const;
    expect(distinctPushTokens(tokens)).toEqual([
      { platform: 'fcm', token: 'a' },
      { platform: 'apns', token: 'ab' },
      { platform: 'fcm', token: 'ab' },
    ]);
  });

  it('keeps one token per device: a web push endpoint however its JSON is written, an APNs token in either case', () => {
    const endpoint = 'https://push.example.com/send/abc';
    const tokens = [
      { platform: 'webpush', token: subscription(endpoint) },
      { platform: 'webpush', token: JSON.stringify({ keys: { p256dh: 'BNcR-key_1', auth: 'tBHI-2' }, endpoint }) },
      { platform: 'webpush', token: subscription(`${endpoint}-other`) },
      { platform: 'apns', token: 'ABCD' },
      { platform: 'apns', token: 'abcd' },
    ] as const;
    expect(distinctPushTokens(tokens).map((t) => t.token)).toEqual([
      subscription(endpoint),
      subscription(`${endpoint}-other`),
      'ABCD',
    ]);
  });
});
