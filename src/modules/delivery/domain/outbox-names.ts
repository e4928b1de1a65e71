import type { OutboundMessage } from './outbound-message';
import { safeId } from './provider-ids';

/**
 * Where the outbox puts a message: one folder per UTC day, and a file name that sorts by send time and
 * says what it is, `<UTC time>_<channel>_<campaign id>_<notification id>.eml` (`.json` for push and
 * webhook; the channel is `email`, `webhook` or `push-<platform>`), e.g.
 * `2026-01-10/16-22-50.328_email_weekly-journeys-digest_nc-rTu0zHY84ziH58iTZZ2gFCIj.eml`. Characters of
 * the campaign id other than letters, digits, `-` and `_` become `_` and it is cut at 40 characters; a
 * notification id that is not plain is replaced by its hash (`safeId`).
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
