import { randomBytes } from 'node:crypto';
import { hashToken, issueKey, parseBearer, scopeAllows } from './api-key';

describe('api keys', () => {
  const fixed = Buffer.from(Array.from({ length: 41 }, (_, i) => i * 7));

  it('issues a token whose hash is stored, deterministically for the same randomness', () => {
    const key = issueKey(fixed);
    expect(key.token).toMatch(/^jc_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key.token.startsWith(`jc_${key.keyId}_`)).toBe(true);
    expect(key.hash).toBe(hashToken(key.token));
    expect(issueKey(fixed)).toEqual(key);
    expect(issueKey(randomBytes(41)).token).not.toBe(key.token);
  });

  it.each([
    [`Bearer ${issueKey(fixed).token}`, true],
    [`bearer   ${issueKey(fixed).token} `, true],
    [issueKey(fixed).token, false],
    ['Bearer jc_short_secret', false],
    ['Basic dXNlcjpwYXNz', false],
    [undefined, false],
  ])('parses %j -> %s', (header, ok) => {
    expect(parseBearer(header) !== undefined).toBe(ok);
  });

  it.each([
    [['ingest'], 'ingest', true],
    [['ingest'], 'admin', false],
    [['admin'], 'ingest', true],
    [['admin'], 'admin', true],
  ] as const)('scopes %j allow %s: %s', (granted, required, allowed) => {
    expect(scopeAllows(granted, required)).toBe(allowed);
  });
});
