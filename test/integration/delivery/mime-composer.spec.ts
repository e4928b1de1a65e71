import { createTransport } from 'nodemailer';
import { decodeHeaderWords, parseHeaders, readParts } from '../../../src/lib/mail/mime';
import { composeMimeMessage, MimeEmail } from '../../../src/lib/mail/mime-message';
import { mimeEmail as email } from '../../../src/lib/mail/testing/mime-email.fixture';

const DATE = new Date('2026-03-01T12:00:00.000Z');

/** The same email through nodemailer's composer: the reference a mail client already reads. */
async function nodemailerMime(mail: MimeEmail): Promise<string> {
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = (await transport.sendMail({ ...mail, date: DATE })) as { message: Buffer };
  return info.message.toString('utf8');
}

/** What a reader sees: decoded headers (whitespace collapsed, as unfolding does) and decoded parts. */
function read(raw: string) {
  const headers = parseHeaders(raw);
  const names = ['from', 'to', 'reply-to', 'subject', 'message-id', 'date', 'mime-version', 'list-unsubscribe'];
  return {
    headers: Object.fromEntries(
      [...names, 'list-unsubscribe-post', 'feedback-id'].map((n) => [
        n,
        decodeHeaderWords(headers.get(n) ?? '').replace(/\s+/g, ' '),
      ]),
    ),
    parts: readParts(raw),
  };
}

const CASES: Record<string, Partial<MimeEmail>> = {
  'plain ASCII': {},
  'Latin accents in the subject, the sender name and both bodies': {
    from: { address: 'news@mail.example.com', name: 'Exemple Ünï' },
    subject: 'Idées pour ta cuisine — 3 nouvelles, à voir avant dimanche soir, vraiment',
    text: 'Café crème '.repeat(30),
    html: `<p>${'Café crème '.repeat(30)}</p>`,
  },
  'non-Latin text in base64': {
    subject: '台所のリフォーム: 新しいアイデアが三つあります。今週末までにご覧ください 🏠',
    text: '台所のリフォーム\n新しいアイデア',
    html: '<p>台所のリフォーム</p>',
    textEncoding: 'base64',
  },
  'long lines, trailing spaces, equals signs and underscores': {
    text: `first line with a trailing space \nx=1&y=2 snake_case ${'word '.repeat(40)}\n\nlast`,
    html: `<a href="https://t.example.com/c/v1.k.${'a'.repeat(120)}?x=1&amp;y=2">go</a>`,
  },
  'a sender name with quotes and commas': { from: { address: 'a@example.com', name: 'Journey "Cast", Inc.' } },
  'a line break in the subject': { subject: 'Hello\r\nBcc: victim@example.com' },
  'a long List-Unsubscribe with a mailto': {
    headers: {
      'List-Unsubscribe':
        '<https://t.example.com/u/v1.k.payload.sig>, <mailto:unsubscribe-requests@mail.example.com?subject=unsubscribe%206650c0ffee0000000000abcd>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  },
};

describe('composeMimeMessage', () => {
  it.each(Object.entries(CASES))('reads back as nodemailer composes it: %s', async (_name, overrides) => {
    const mail = email(overrides);
    const ours = composeMimeMessage(mail, DATE).toString('utf8');
    expect(read(ours)).toEqual(read(await nodemailerMime(mail)));
    expect(read(ours).parts.map((p) => p.contentType)).toEqual(['text/plain', 'text/html']);
  });
});
