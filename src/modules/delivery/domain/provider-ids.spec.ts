import { apnsId, collapseTag, emailMessageId, safeId } from './provider-ids';

describe('provider ids', () => {
  it('are a pure function of the notification id', () => {
    expect(apnsId('n1')).toBe(apnsId('n1'));
    expect(apnsId('n1')).not.toBe(apnsId('n2'));
    expect(collapseTag('n1')).toBe(collapseTag('n1'));
    expect(emailMessageId('n1', 'news@mail.example.com')).toBe('<n1.jc@mail.example.com>');
  });

  it('give APNs a well-formed UUID', () => {
    expect(apnsId('6650c0ffee0000000000abcd')).toMatch(
      /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/,
    );
  });

  it('fit a Web Push Topic (32 base64url characters) and an apns-collapse-id (64 bytes)', () => {
    for (const id of ['n', 'x'.repeat(500), 'ünïcödé id']) expect(collapseTag(id)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('hash ids that are not safe in headers or file names', () => {
    expect(safeId('6650c0ffee0000000000abcd')).toBe('6650c0ffee0000000000abcd');
    expect(safeId('../../etc/passwd')).toMatch(/^[0-9a-f]{64}$/);
    expect(emailMessageId('a>b@c', 'x@y.org')).toMatch(/^<[0-9a-f]{64}\.jc@y\.org>$/);
  });
});
