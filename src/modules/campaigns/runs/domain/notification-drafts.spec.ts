import { targetsOf } from './notification-drafts';

describe('targetsOf', () => {
  it('addresses each device once, even when a profile stored before the rule lists it twice', () => {
    const recipient = {
      userId: 'u1',
      email: 'ana@example.com',
      timeZone: 'UTC',
      pushTokens: [
        { platform: 'fcm', token: 'device-1' },
        { platform: 'fcm', token: 'device-1' },
        { platform: 'apns', token: 'a1b2' },
      ],
    } as const;
    expect(targetsOf('push', recipient).map((t) => t.to)).toEqual([
      { channel: 'push', platform: 'fcm', token: 'device-1' },
      { channel: 'push', platform: 'apns', token: 'a1b2' },
    ]);
    expect(targetsOf('email', recipient).map((t) => t.to)).toEqual([{ channel: 'email', address: 'ana@example.com' }]);
  });
});
