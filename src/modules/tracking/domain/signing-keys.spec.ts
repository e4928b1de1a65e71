import { createKeyRing, parseSigningKeys, SigningKeyError } from './signing-keys';

const SECRET = 'x'.repeat(32);

describe('parseSigningKeys', () => {
  it('reads kid:secret pairs in order, trimming spaces', () => {
    expect(parseSigningKeys(` k2:${SECRET}2 , k1:${SECRET}1`)).toEqual([
      { kid: 'k2', secret: `${SECRET}2` },
      { kid: 'k1', secret: `${SECRET}1` },
    ]);
  });

  it('keeps colons inside the secret', () => {
    expect(parseSigningKeys(`k:${SECRET}:tail`)[0].secret).toBe(`${SECRET}:tail`);
  });

  it.each([
    ['', /at least one/],
    [' , ', /at least one/],
    [SECRET, /entry 1 needs a key id/],
    [`bad kid:${SECRET}`, /entry 1 needs a key id/],
    [`${'k'.repeat(17)}:${SECRET}`, /entry 1 needs a key id/],
    [`k1:${SECRET},k2:short`, /key "k2" needs a secret of at least 32/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseSigningKeys(raw)).toThrow(SigningKeyError);
    expect(() => parseSigningKeys(raw)).toThrow(message);
  });

  it('never echoes a secret in its message', () => {
    expect(() => parseSigningKeys('k1:too-short-secret')).toThrow(/^(?!.*too-short-secret)/);
  });
});

describe('createKeyRing', () => {
  it('signs with the first key and verifies with all', () => {
    const ring = createKeyRing(parseSigningKeys(`new:${SECRET}n,old:${SECRET}o`));
    expect(ring.signing.kid).toBe('new');
    expect([...ring.byKid.keys()]).toEqual(['new', 'old']);
  });

  it('refuses an empty list and a key id listed twice', () => {
    expect(() => createKeyRing([])).toThrow(SigningKeyError);
    expect(() => createKeyRing(parseSigningKeys(`a:${SECRET}1,a:${SECRET}2`))).toThrow(/listed twice/);
  });
});
