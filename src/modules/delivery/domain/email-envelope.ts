import type { MimeEmail } from '../../../lib/mail/mime-message';
import { sendingAddress } from '../../tracking/domain/suppression-address';
import type { OutboundEmail } from './outbound-message';
import { emailMessageId, safeId } from './provider-ids';

/** Sender settings every email carries. */
export interface EmailSender {
  fromAddress: string;
  fromName?: string;
  replyTo?: string;
  /** Mailbox that processes unsubscribe mails; adds a `mailto:` to List-Unsubscribe when set. */
  unsubscribeMailto?: string;
}

/** An email ready for the MIME composer: addresses, both bodies and every header we set ourselves. */
export type ComposedEmail = MimeEmail;

/**
 * The MIME text encoding for these texts, by the rule nodemailer applies when it is not told: more
 * Latin letters than control or non-Latin characters means quoted-printable, otherwise base64.
 * Counted here in one pass, because nodemailer's own detection builds an array of every matching
 * character of each part and header.
 */
export function textEncodingOf(...texts: string[]): 'quoted-printable' | 'base64' {
  let latin = 0;
  let other = 0;
  for (const text of texts) {
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i) | 0x20;
      if (c >= 0x61 && c <= 0x7a) latin += 1;
      else {
        const code = text.charCodeAt(i);
        if (code >= 0x80 || (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d)) other += 1;
      }
    }
  }
  return other < latin ? 'quoted-printable' : 'base64';
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The HTML with a 1x1 open pixel before `</body>`, unless it already loads `pixelUrl`. */
export function withOpenPixel(html: string, pixelUrl: string | undefined): string {
  if (!pixelUrl || html.includes(pixelUrl) || html.includes(escapeAttribute(pixelUrl))) return html;
  const img = `<img src="${escapeAttribute(pixelUrl)}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`;
  const close = html.search(/<\/body>/i);
  return close === -1 ? `${html}${img}` : `${html.slice(0, close)}${img}${html.slice(close)}`;
}

/**
 * RFC 2369 List-Unsubscribe (https first, then the optional mailto) with RFC 8058 one-click, which
 * Gmail and Yahoo require of bulk senders; the https URL must accept `POST List-Unsubscribe=One-Click`.
 */
export function unsubscribeHeaders(email: OutboundEmail, sender: EmailSender): Record<string, string> {
  const targets = [`<${email.unsubscribeUrl}>`];
  if (sender.unsubscribeMailto) {
    const subject = encodeURIComponent(`unsubscribe ${safeId(email.notificationId)}`);
    targets.push(`<mailto:${sender.unsubscribeMailto}?subject=${subject}>`);
  }
  return { 'List-Unsubscribe': targets.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

const feedbackPart = (value: string) => value.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40);

/**
 * The complete email for `message`; the same object feeds the outbox file and the SMTP relay. It goes to the
 * recipient's domain in the ASCII form the suppression list matches it by, so the mail, its bounce and the
 * list name one domain whatever Unicode form the profile writes it in.
 */
export function composeEmail(message: OutboundEmail, sender: EmailSender): ComposedEmail {
  return {
    from: { address: sender.fromAddress, name: sender.fromName },
    to: { ...message.to, address: sendingAddress(message.to.address) },
    replyTo: sender.replyTo,
    subject: message.content.subject,
    html: withOpenPixel(message.content.html, message.openPixelUrl),
    text: message.content.text,
    textEncoding: textEncodingOf(message.content.subject, message.content.text),
    messageId: emailMessageId(message.notificationId, sender.fromAddress),
    headers: {
      ...unsubscribeHeaders(message, sender),
      // Gmail's feedback loop groups complaints by these parts: campaign, category, sender.
      'Feedback-ID': `${feedbackPart(message.campaignId)}:${feedbackPart(message.category)}:journeycast`,
      'X-Journeycast-Notification-Id': safeId(message.notificationId),
    },
  };
}
