import { userIdProblem } from './field-checks';

describe('userIdProblem', () => {
  it.each([
    ['u1'],
    ['ann@example.com'],
    // Joiners and non-joiners are part of some ids' text: an emoji sequence, a Persian word.
    ['👩‍💻'],
    ['می‌خواهم'],
    ['x'.repeat(256)],
  ])('accepts %j', (userId) => {
    expect(userIdProblem(userId)).toBeUndefined();
  });

  it.each([
    ['', 'must not be blank'],
    [' \t', 'must not be blank'],
    ['\u200b', 'must not be blank'],
    ['\ufeff\u2060', 'must not be blank'],
    ['\u200e \u00ad', 'must not be blank'],
    ['\u3164', 'must not be blank'],
    ['a\u0000b', 'must not contain control characters'],
    ['a\u0085b', 'must not contain control characters or line breaks'],
    ['a\u009bb', 'must not contain control characters or line breaks'],
    ['a\u2028b', 'must not contain control characters or line breaks'],
    ['a\u2029b', 'must not contain control characters or line breaks'],
    ['x'.repeat(257), 'must be at most 256 characters'],
    [42, 'must be a string'],
  ])('refuses %j', (userId, problem) => {
    expect(userIdProblem(userId)).toMatch(new RegExp(`^${problem}`));
  });

  it('finds data stored under an invisible id earlier versions took, but never under a blank one', () => {
    expect(userIdProblem('\u200b', { stored: true })).toBeUndefined();
    expect(userIdProblem('  ', { stored: true })).toMatch(/^must not be blank/);
  });

  it('finds data stored under an id with a C1 control or a line separator, but never under one with a NUL', () => {
    expect(userIdProblem('a\u0085b', { stored: true })).toBeUndefined();
    expect(userIdProblem('a\u2028b', { stored: true })).toBeUndefined();
    expect(userIdProblem('a\u0000b', { stored: true })).toMatch(/^must not contain control characters/);
  });
});
