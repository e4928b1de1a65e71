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
    expect(targetsOf({ channel: 'push' }, recipient).map((t) => t.to)).toEqual([
      { channel: 'push', platform: 'fcm', token: 'device-1' },
      { channel: 'push', platform: 'apns', token: 'a1b2' },
    ]);
    expect(targetsOf({ channel: 'email' }, recipient).map((t) => t.to)).toEqual([
      { channel: 'email', address: 'ana@example.com' },
    ]);
  });

  it("gives a webhook campaign's message one target, the webhook, whatever addresses the user has", () => {
    const webhook = { url: 'https://crm.example.com/hooks/jc' };
    const devices = { userId: 'u1', timeZone: 'UTC', pushTokens: [{ platform: 'fcm', token: 'device-1' }] } as const;
    const nothing = { userId: 'u2', timeZone: 'UTC', pushTokens: [] };
    for (const recipient of [devices, nothing]) {
      for (const channel of ['push', 'email'] as const) {
        expect(targetsOf({ channel, webhook }, recipient)).toEqual([
          { to: { channel: 'webhook', url: webhook.url }, state: 'pending' },
        ]);
      }
    }
  });
});
