import { safeId } from './provider-ids';
import { notificationIdOf } from './notification-id';

describe(notificationIdOf.name, () => {
  it('is stable per (run, user) and differs between pairs', () => {
    expect(notificationIdOf('r1', 'u1')).toBe(notificationIdOf('r1', 'u1'));
    expect(notificationIdOf('r1', 'u1')).not.toBe(notificationIdOf('r1', 'u2'));
    expect(notificationIdOf('r1', 'u1')).not.toBe(notificationIdOf('r2', 'u1'));
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(notificationIdOf('ab', 'c')).not.toBe(notificationIdOf('a', 'bc'));
  });

  it('is usable as is in headers and file names', () => {
    const id = notificationIdOf('weekly-2026-03-02', 'user with spaces/é');
    expect(id).toMatch(/^n[A-Za-z0-9_-]{26}$/);
    expect(safeId(id)).toBe(id);
  });
});
