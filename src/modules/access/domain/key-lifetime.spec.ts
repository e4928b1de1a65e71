import { keyStatus, lastUsedIsStale, parseDuration, resolveExpiry } from './key-lifetime';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('key lifetime', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['12h', 43_200_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
    ['30', undefined],
    ['1y', undefined],
    ['-1d', undefined],
    ['1.5d', undefined],
  ])('parses the duration %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    [{}, undefined],
    [{ expiresIn: '30d' }, '2026-03-31T12:00:00.000Z'],
    [{ expiresAt: '2026-06-01T00:00:00+02:00' }, '2026-05-31T22:00:00.000Z'],
  ])('resolves %j to %s', (input, iso) => {
    const result = resolveExpiry(input, NOW);
    expect(result.ok && result.expiresAt?.toISOString()).toBe(result.ok && iso);
  });

  it.each([
    [{ expiresIn: '30d', expiresAt: '2026-06-01T00:00:00Z' }, 'expiresAt'],
    [{ expiresIn: 'soon' }, 'expiresIn'],
    [{ expiresIn: '0d' }, 'expiresIn'],
    [{ expiresIn: '600w' }, 'expiresIn'],
    [{ expiresAt: '2026-02-30T00:00:00Z' }, 'expiresAt'],
    [{ expiresAt: '2026-03-01T11:59:59Z' }, 'expiresAt'],
  ])('refuses %j naming %s', (input, field) => {
    const result = resolveExpiry(input, NOW);
    expect(result.ok ? undefined : result.error.field).toBe(field);
  });

  it('says whether a key is active, revoked or expired', () => {
    expect(keyStatus({}, NOW)).toBe('active');
    expect(keyStatus({ expiresAt: new Date(NOW.getTime() + 1) }, NOW)).toBe('active');
    expect(keyStatus({ expiresAt: NOW }, NOW)).toBe('expired');
    expect(keyStatus({ expiresAt: NOW, revokedAt: NOW }, NOW)).toBe('revoked');
  });

  it('records a use at most once a minute', () => {
    expect(lastUsedIsStale(undefined, NOW)).toBe(true);
    expect(lastUsedIsStale(new Date(NOW.getTime() - 59_999), NOW)).toBe(false);
    expect(lastUsedIsStale(new Date(NOW.getTime() - 60_000), NOW)).toBe(true);
  });
});
