import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const SECRET = 'whsec_0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-03-01T12:00:00Z');
const BODY = '{"notificationId":"n1"}';

describe('webhook signatures', () => {
  it('verify with the same secret, body and a fresh timestamp', () => {
    const header = signWebhook(SECRET, BODY, NOW);
    expect(header).toMatch(/^t=1772366400,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, header, BODY, new Date(NOW.getTime() + 60_000))).toBe(true);
  });

  it.each([
    ['another secret', (h: string) => [h, 'whsec_other-secret-0123456789abcdef', BODY, NOW] as const],
    ['a changed body', (h: string) => [h, SECRET, BODY.replace('n1', 'n2'), NOW] as const],
    ['a replay after the tolerance', (h: string) => [h, SECRET, BODY, new Date(NOW.getTime() + 301_000)] as const],
    ['a moved timestamp', (h: string) => [h.replace('t=1772366400', 't=1772366401'), SECRET, BODY, NOW] as const],
    ['no header', () => [undefined, SECRET, BODY, NOW] as const],
    ['a truncated signature', (h: string) => [h.slice(0, -2), SECRET, BODY, NOW] as const],
  ])('refuse %s', (_label, build) => {
    const [header, secret, body, now] = build(signWebhook(SECRET, BODY, NOW));
    expect(verifyWebhookSignature(secret, header, body, now)).toBe(false);
  });

  it('accept any of several v1 signatures, for secret rotation', () => {
    const header = signWebhook(SECRET, BODY, NOW);
    const both = `${header},v1=${'0'.repeat(64)}`;
    expect(verifyWebhookSignature(SECRET, both, BODY, NOW)).toBe(true);
  });
});
