import { validateEvent } from './validate-event';

const NOW = new Date('2026-01-10T12:00:00Z');
const valid = {
  id: 'e1',
  userId: 'u1',
  type: 'save',
  occurredAt: '2026-01-10T11:00:00Z',
  item: { id: 'i1', title: 'White kitchen cabinets', annotations: ['kitchen'], categories: ['home'] },
};

function fieldsOf(raw: unknown): string[] {
  const result = validateEvent(raw, NOW);
  return result.ok ? [] : result.errors.map((e) => e.field);
}

describe('validateEvent', () => {
  it('accepts a valid event and parses its timestamp', () => {
    const result = validateEvent(valid, NOW);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.event.occurredAt.toISOString()).toBe('2026-01-10T11:00:00.000Z');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['missing id', { id: undefined }, 'id'],
    ['empty userId', { userId: '  ' }, 'userId'],
    ['a NUL in userId', { userId: 'a\u0000b' }, 'userId'],
    ['a line break in userId', { userId: 'a\nb' }, 'userId'],
    ['a zero-width space as userId', { userId: '\u200b' }, 'userId'],
    ['only format characters and spaces as userId', { userId: '\ufeff \u2060\u200d' }, 'userId'],
    ['unknown type', { type: 'like' }, 'type'],
    ['non-ISO timestamp', { occurredAt: '10/01/2026' }, 'occurredAt'],
    ['timestamp without zone', { occurredAt: '2026-01-10T11:00:00' }, 'occurredAt'],
    ['timestamp 6 minutes ahead', { occurredAt: '2026-01-10T12:06:00Z' }, 'occurredAt'],
    ['long query', { query: 'q'.repeat(513) }, 'query'],
    ['long title', { item: { id: 'i', title: 't'.repeat(513) } }, 'item.title'],
    ['51 annotations', { item: { id: 'i', annotations: Array(51).fill('a') } }, 'item.annotations'],
    ['non-string annotation', { item: { id: 'i', annotations: ['ok', 3] } }, 'item.annotations[1]'],
    ['item without id', { item: { title: 'x' } }, 'item.id'],
    ['properties not an object', { properties: [1] }, 'properties'],
    ['February 30th', { occurredAt: '2026-02-30T12:00:00Z' }, 'occurredAt'],
    ['hour 24', { occurredAt: '2026-01-09T24:00:00Z' }, 'occurredAt'],
    ['year 0001', { occurredAt: '0001-01-01T00:00:00Z' }, 'occurredAt'],
    ['year 1800', { occurredAt: '1800-06-01T12:00:00Z' }, 'occurredAt'],
    ['the Unix epoch', { occurredAt: '1970-01-01T00:00:00Z' }, 'occurredAt'],
    ['a second before 2000', { occurredAt: '2000-01-01T00:59:59+01:00' }, 'occurredAt'],
    ['a "$" property name', { properties: { a: { $where: 'x' } } }, 'properties.a.$where'],
    ['an infinite property', { properties: { n: Infinity } }, 'properties.n'],
    ['unknown field', { colour: 'red' }, 'colour'],
    ['unknown item field', { item: { id: 'i', price: 3 } }, 'item.price'],
    ['unknown board field', { type: 'board', board: { name: 'Kitchen', owner: 'x' } }, 'board.owner'],
  ])('rejects %s naming the field', (_case, override, field) => {
    expect(fieldsOf({ ...valid, ...override })).toContain(field);
  });

  it('requires a query on search events and an item on save events', () => {
    expect(fieldsOf({ id: 'e', userId: 'u', type: 'search', occurredAt: valid.occurredAt })).toEqual(['query']);
    expect(fieldsOf({ id: 'e', userId: 'u', type: 'save', occurredAt: valid.occurredAt })).toEqual(['item']);
    expect(fieldsOf({ id: 'e', userId: 'u', type: 'board', occurredAt: valid.occurredAt })).toEqual(['board']);
  });

  it('reads a null query or item title as one left out', () => {
    const result = validateEvent({ ...valid, query: null, item: { ...valid.item, title: null } }, NOW);
    expect(result.ok && [result.event.query, result.event.item?.title]).toEqual([undefined, undefined]);
    expect(fieldsOf({ ...valid, type: 'search', item: undefined, query: null })).toEqual(['query']);
  });

  it('accepts a timestamp within the 5-minute skew', () => {
    expect(fieldsOf({ ...valid, occurredAt: '2026-01-10T12:04:59+00:00' })).toEqual([]);
  });

  it('accepts a timestamp from 2000-01-01T00:00:00Z on, and names the floor when refusing one before it', () => {
    expect(fieldsOf({ ...valid, occurredAt: '2000-01-01T00:00:00Z' })).toEqual([]);
    expect(validateEvent({ ...valid, occurredAt: '1999-12-31T23:59:59Z' }, NOW)).toEqual({
      ok: false,
      errors: [{ field: 'occurredAt', message: 'occurredAt must not be before 2000-01-01T00:00:00Z' }],
    });
  });
});
