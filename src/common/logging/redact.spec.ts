import { redact, redactText } from './redact';

describe('redact', () => {
  it.each([
    ['sent to ana@example.com', 'sent to [email]'],
    ['Authorization: Bearer abc.def', 'Authorization: [token]'],
    ['key jc_ab12cd34_Zm9vYmFyYmF6 rejected', 'key [token] rejected'],
    [`push token ${'f'.repeat(80)} expired`, 'push token [token] expired'],
    ['user u-42 has 3 journeys', 'user u-42 has 3 journeys'],
  ])('redacts %j', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('replaces secret-named fields and walks nested objects', () => {
    const logged = redact({
      userId: 'u1',
      email: 'ana@example.com',
      profile: { pushTokens: [{ platform: 'fcm', token: 'x' }], note: 'mail bob@example.org' },
    });
    expect(logged).toEqual({
      userId: 'u1',
      email: '[redacted]',
      profile: { pushTokens: '[redacted]', note: 'mail [email]' },
    });
  });

  it('keeps errors as errors with redacted messages', () => {
    const error = redact(new Error('duplicate email ana@example.com')) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('duplicate email [email]');
  });
});
