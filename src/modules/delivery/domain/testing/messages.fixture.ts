import type { OutboundEmail, OutboundPush, OutboundWebhook } from '../outbound-message';

/** A rendered email as the delivery job hands it over; `overrides` replace top-level fields. */
export function emailMessage(overrides: Partial<OutboundEmail> = {}): OutboundEmail {
  return {
    channel: 'email',
    notificationId: '6650c0ffee0000000000abcd',
    campaignId: 'weekly-digest',
    category: 'digest',
    userId: 'u1',
    to: { address: 'ana@example.com', name: 'Ana' },
    content: {
      subject: 'Ideas for your kitchen',
      preheader: 'Three boards you will like',
      html: '<html><body><p>Hello Ana</p><a href="https://t.example.com/c/tok">See</a></body></html>',
      text: 'Hello Ana\nSee: https://t.example.com/c/tok',
    },
    unsubscribeUrl: 'https://t.example.com/u/v1.k.payload.sig',
    openPixelUrl: 'https://t.example.com/o/v1.k.payload.sig?x=1&y=2',
    ...overrides,
  };
}

/** A push to one device; `platform` picks the token format. */
export function pushMessage(overrides: Partial<OutboundPush> = {}): OutboundPush {
  return {
    channel: 'push',
    notificationId: '6650c0ffee0000000000beef',
    campaignId: 'journey-nudge',
    category: 'nudges',
    userId: 'u2',
    to: { platform: 'fcm', token: 'fcm-token-1' },
    content: {
      title: 'Kitchen remodel',
      body: 'New ideas for your backsplash',
      deepLink: 'app://boards/1',
      data: { board: '1' },
    },
    pushOpenToken: 'v1.k.open.sig',
    ...overrides,
  };
}

/** A webhook message to a campaign endpoint. */
export function webhookMessage(url: string, overrides: Partial<OutboundWebhook> = {}): OutboundWebhook {
  return {
    channel: 'webhook',
    notificationId: '6650c0ffee0000000000f00d',
    campaignId: 'crm-sync',
    category: 'crm',
    userId: 'u3',
    to: { url },
    content: { title: 'Kitchen remodel', body: 'New ideas', data: {} },
    ...overrides,
  };
}
