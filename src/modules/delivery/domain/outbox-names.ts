import type { OutboundMessage } from './outbound-message';
import { safeId } from './provider-ids';

/**
 * Where the outbox puts a message: one folder per UTC day, and a file name that sorts by send time
 * and says what it is, e.g. `2026-01-10/12-00-00.123_email_weekly-digest_6650c0ffee.eml`.
 */
export function outboxPath(message: OutboundMessage, at: Date): { folder: string; file: string } {
  const iso = at.toISOString(); // 2026-01-10T12:00:00.123Z
  const folder = iso.slice(0, 10);
  const time = iso.slice(11, 23).replace(/:/g, '-');
  const kind = message.channel === 'push' ? `push-${message.to.platform}` : message.channel;
  const campaign = message.campaignId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  const extension = message.channel === 'email' ? 'eml' : 'json';
  return { folder, file: `${time}_${kind}_${campaign}_${safeId(message.notificationId)}.${extension}` };
}
