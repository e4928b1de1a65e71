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
    ['x'.repeat(257), 'must be at most 256 characters'],
    [42, 'must be a string'],
  ])('refuses %j', (userId, problem) => {
    expect(userIdProblem(userId)).toMatch(new RegExp(`^${problem}`));
  });

  it('finds data stored under an invisible id earlier versions took, but never under a blank one', () => {
    expect(userIdProblem('\u200b', { stored: true })).toBeUndefined();
    expect(userIdProblem('  ', { stored: true })).toMatch(/^must not be blank/);
  });
});
