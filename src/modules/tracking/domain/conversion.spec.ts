import { attributionStart, validateConversion } from './conversion';

const NOW = new Date('2026-03-02T12:00:00Z');
const VALID = { id: 'order-1', userId: 'u1', occurredAt: '2026-03-02T11:00:00Z' };

describe('validateConversion', () => {
  it('accepts a minimal conversion and one with a value and a campaign', () => {
    expect(validateConversion(VALID, NOW)).toEqual({
      ok: true,
      conversion: { id: 'order-1', userId: 'u1', occurredAt: new Date('2026-03-02T11:00:00Z') },
    });
    expect(validateConversion({ ...VALID, value: 19.5, campaignId: 'digest' }, NOW)).toMatchObject({
      ok: true,
      conversion: { value: 19.5, campaignId: 'digest' },
    });
  });

  it.each([
    [{ ...VALID, id: undefined }, 'id'],
    [{ ...VALID, id: ' ' }, 'id'],
    [{ ...VALID, userId: 7 }, 'userId'],
    [{ ...VALID, occurredAt: '2026-03-02 11:00' }, 'occurredAt'],
    [{ ...VALID, occurredAt: '2026-02-30T11:00:00Z' }, 'occurredAt'],
    [{ ...VALID, occurredAt: '2026-03-02T12:06:00Z' }, 'occurredAt'],
    [{ ...VALID, occurredAt: '0001-01-01T00:00:00Z' }, 'occurredAt'],
    [{ ...VALID, occurredAt: '1999-12-31T23:59:59Z' }, 'occurredAt'],
    [{ ...VALID, value: '19.5' }, 'value'],
    [{ ...VALID, value: 1e13 }, 'value'],
    [{ ...VALID, value: null }, 'value'],
    [{ ...VALID, campaignId: 'Not A Campaign' }, 'campaignId'],
    [{ ...VALID, campaignId: null }, 'campaignId'],
    [{ ...VALID, amount: 3 }, 'amount'],
  ])('refuses %j, naming %s', (raw, field) => {
    const result = validateConversion(raw, NOW);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual([field]);
  });

  it('refuses what is not an object', () => {
    expect(validateConversion([VALID], NOW)).toEqual({
      ok: false,
      errors: [{ field: '', message: 'a conversion must be a JSON object' }],
    });
  });
});

describe('attributionStart', () => {
  it('goes back the window from the conversion', () => {
    expect(attributionStart(NOW, 72)).toEqual(new Date('2026-02-27T12:00:00Z'));
  });
});
