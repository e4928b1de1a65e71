import type { MimeEmail } from '../mime-message';

/** A two-part notification email; `overrides` replace top-level fields. */
export function mimeEmail(overrides: Partial<MimeEmail> = {}): MimeEmail {
  return {
    from: { address: 'news@mail.example.com', name: 'Example' },
    to: { address: 'ana@example.com', name: 'Ana' },
    replyTo: 'help@example.com',
    subject: 'Ideas for your kitchen',
    html: '<html><body><p>Hello Ana</p><a href="https://t.example.com/c/tok">See</a></body></html>',
    text: 'Hello Ana\nSee: https://t.example.com/c/tok',
    messageId: '<6650c0ffee0000000000abcd.jc@mail.example.com>',
    headers: {
      'List-Unsubscribe': '<https://t.example.com/u/v1.k.payload.sig>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Feedback-ID': 'weekly-digest:digest:journeycast',
    },
    textEncoding: 'quoted-printable',
    ...overrides,
  };
}
