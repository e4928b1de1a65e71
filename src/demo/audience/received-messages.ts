import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SmtpInbox } from '../infrastructure/smtp-inbox';

/** A message as its recipient has it: what it says, and the tracked ways to respond to it. */
export interface ReceivedMessage {
  /** Unique per message: the outbox file or the email's Message-ID. */
  key: string;
  channel: 'push' | 'email';
  userId: string;
  campaignId?: string;
  /** What the reader sees first: push title and body, or email subject and preheader. */
  headline: string;
  /** Push: the signed token the app posts to `/v1/track/push-open` when the user opens it. */
  pushOpenToken?: string;
  /** Email: the open pixel a mail client fetches when the email is displayed. */
  openPixelUrl?: string;
  /** The tracked link a click follows (the push deep link, the email's first tracked link). */
  clickUrl?: string;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat();
}

/** The first value of `key` anywhere in a JSON document (where the provider request carries the open token). */
function findKey(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k === key && typeof v === 'string') return v;
    const found = findKey(v, key);
    if (found) return found;
  }
  return undefined;
}

/** Every push in the outbox folder, as the user's device would have received it. */
export async function pushesInOutbox(dir: string): Promise<ReceivedMessage[]> {
  const files = (await filesUnder(dir)).filter((f) => f.endsWith('.json')).sort();
  const messages = await Promise.all(
    files.map(async (file): Promise<ReceivedMessage | undefined> => {
      const doc = JSON.parse(await readFile(file, 'utf8')) as {
        channel: string;
        userId: string;
        campaignId: string;
        content: { title: string; body: string; deepLink?: string };
      };
      if (doc.channel !== 'push') return undefined;
      return {
        key: file,
        channel: 'push',
        userId: doc.userId,
        campaignId: doc.campaignId,
        headline: `${doc.content.title}\n${doc.content.body}`,
        pushOpenToken: findKey(doc, 'jc_open_token'),
        clickUrl: doc.content.deepLink,
      };
    }),
  );
  return messages.filter((m): m is ReceivedMessage => m !== undefined);
}

const attribute = (html: string, pattern: RegExp) => pattern.exec(html)?.[1]?.replace(/&amp;/g, '&');

/** Every email the SMTP server received (all from `campaignId`), as the recipient's mail client would show it. */
export function emailsInInbox(inbox: SmtpInbox, campaignId: string): ReceivedMessage[] {
  return inbox.received.map((mail) => ({
    campaignId,
    key: mail.headers.get('message-id') ?? `${mail.to}#${mail.subject}`,
    channel: 'email',
    userId: mail.to.replace(/@.*$/, ''),
    headline: mail.subject,
    openPixelUrl: attribute(mail.decoded, /<img[^>]+src="([^"]*\/t\/o\/[^"]+)"/),
    clickUrl: attribute(mail.decoded, /<a[^>]+href="([^"]*\/t\/c\/[^"]+)"/),
  }));
}
