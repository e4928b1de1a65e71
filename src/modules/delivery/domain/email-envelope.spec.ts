import { composeEmail, textEncodingOf, withOpenPixel } from './email-envelope';
import { emailMessage } from './testing/messages.fixture';

const SENDER = { fromAddress: 'news@mail.example.com', fromName: 'Example', replyTo: 'help@example.com' };

describe('composeEmail', () => {
  it('sets RFC 8058 one-click unsubscribe headers, https first', () => {
    const email = composeEmail(emailMessage(), { ...SENDER, unsubscribeMailto: 'unsub@mail.example.com' });
    expect(email.headers['List-Unsubscribe']).toBe(
      '<https://t.example.com/u/v1.k.payload.sig>, <mailto:unsub@mail.example.com?subject=unsubscribe%206650c0ffee0000000000abcd>',
    );
    expect(email.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });

  it('leaves the mailto out when no unsubscribe mailbox is configured', () => {
    expect(composeEmail(emailMessage(), SENDER).headers['List-Unsubscribe']).toBe(
      '<https://t.example.com/u/v1.k.payload.sig>',
    );
  });

  it('derives the Message-ID from the notification id on the sender domain', () => {
    const email = composeEmail(emailMessage(), SENDER);
    expect(email.messageId).toBe('<6650c0ffee0000000000abcd.jc@mail.example.com>');
    expect(composeEmail(emailMessage(), SENDER).messageId).toBe(email.messageId);
  });

  it('carries both bodies, addresses and the feedback id', () => {
    const email = composeEmail(emailMessage(), SENDER);
    expect(email).toMatchObject({
      from: { address: 'news@mail.example.com', name: 'Example' },
      to: { address: 'ana@example.com', name: 'Ana' },
      replyTo: 'help@example.com',
      subject: 'Ideas for your kitchen',
      text: 'Hello Ana\nSee: https://t.example.com/c/tok',
    });
    expect(email.headers['Feedback-ID']).toBe('weekly-digest:digest:journeycast');
  });
});

describe('withOpenPixel', () => {
  const pixel = 'https://t.example.com/o/tok?a=1&b=2';

  it('puts an escaped 1x1 image just before </body>', () => {
    const html = withOpenPixel('<html><BODY><p>x</p></BODY></html>', pixel);
    expect(html).toBe(
      '<html><BODY><p>x</p><img src="https://t.example.com/o/tok?a=1&amp;b=2" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px"></BODY></html>',
    );
  });

  it('appends to a fragment without a body, and never adds a second pixel', () => {
    expect(withOpenPixel('<p>x</p>', pixel)).toMatch(/^<p>x<\/p><img src=/);
    const once = withOpenPixel('<p>x</p>', pixel);
    expect(withOpenPixel(once, pixel)).toBe(once);
    expect(withOpenPixel('<p>x</p>', undefined)).toBe('<p>x</p>');
  });
});

describe('textEncodingOf', () => {
  it('picks quoted-printable for mostly Latin text and base64 otherwise, as nodemailer would', () => {
    expect(textEncodingOf('Your kitchen remodel: 3 new ideas', 'Café crème')).toBe('quoted-printable');
    expect(textEncodingOf('台所のリフォーム', 'ok')).toBe('base64');
    expect(textEncodingOf('')).toBe('base64');
  });
});
