import { DemoStep } from '../demo-context';
import { callApi, forEachConcurrently } from '../http-client';

const PROFILES = [
  { locale: 'en-US', timeZone: 'America/New_York' },
  { locale: 'en-GB', timeZone: 'Europe/London' },
  { locale: 'fr-FR', timeZone: 'Europe/Paris' },
  { locale: 'de-DE', timeZone: 'Europe/Berlin' },
  { locale: 'ja-JP', timeZone: 'Asia/Tokyo' },
  { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
];

/** An APNs device token is hexadecimal. */
const hex = (text: string) => Buffer.from(text).toString('hex');

/** A plausible profile per synthetic user; every 7th user declines email, every 3rd has no push token. */
function profileFor(userId: string, index: number) {
  const token = `demo-token-${userId}`;
  return {
    email: `${userId}@example.com`,
    pushTokens:
      index % 3 === 0 ? [] : [index % 2 ? { platform: 'fcm', token } : { platform: 'apns', token: hex(token) }],
    ...PROFILES[index % PROFILES.length],
    attributes: { plan: index % 4 === 0 ? 'pro' : 'free', cohort: 2024 + (index % 3) },
    consent: { email: index % 7 !== 0, push: true },
  };
}

export const sendUsersStep: DemoStep = {
  title: 'Send user profiles (PUT /v1/users/:userId)',
  async run(context) {
    const started = Date.now();
    await forEachConcurrently(
      context.userIds.map((userId, index) => ({ userId, index })),
      8,
      async ({ userId, index }) => {
        await callApi(context.baseUrl, context.tokens.ingest, 'PUT', `/v1/users/${userId}`, profileFor(userId, index));
      },
    );
    context.report.users = { sent: context.userIds.length, seconds: (Date.now() - started) / 1000 };
    context.log(`${context.userIds.length} profiles stored`);
  },
};
