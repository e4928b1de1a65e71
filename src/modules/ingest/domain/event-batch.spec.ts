import { parseEventLine, validateEventBatch } from './event-batch';

const now = new Date('2026-03-01T12:00:00Z');
const event = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `e${i}`,
  userId: 'u1',
  type: 'search',
  occurredAt: '2026-03-01T11:00:00Z',
  query: 'tile ideas',
  ...extra,
});

describe('validateEventBatch', () => {
  it('accepts a valid batch and returns parsed events', () => {
    const result = validateEventBatch({ events: [event(1), event(2)] }, now);
    expect(result.ok && result.events.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('names every bad index and field', () => {
    const result = validateEventBatch(
      { events: [event(0), event(1, { item: { id: 'i', title: 'x'.repeat(513) } }), event(2, { type: 'like' })] },
      now,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toEqual(['events[1].item.title', 'events[2].type']);
  });

  it.each([
    [{ events: [] }, 'events'],
    [{ events: Array.from({ length: 1001 }, (_, i) => event(i)) }, 'events'],
    [{ events: 'e1' }, 'events'],
    [[event(1)], ''],
    [{ events: [event(1)], source: 'x' }, 'source'],
    [{ events: [null] }, 'events[0]'],
  ])('rejects %#', (body, field) => {
    const result = validateEventBatch(body, now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0].field).toBe(field);
  });
});

describe('parseEventLine', () => {
  it('parses a valid line', () => {
    expect(parseEventLine(JSON.stringify(event(1)), now)).toMatchObject({ ok: true, event: { id: 'e1' } });
  });

  it('gives a reason naming the field', () => {
    expect(parseEventLine('{"id": 1', now)).toEqual({ ok: false, reason: 'not valid JSON' });
    const bad = parseEventLine(JSON.stringify(event(1, { query: undefined })), now);
    expect(bad).toEqual({ ok: false, reason: 'query: query is required' });
  });

  it('refuses an import line whose id or userId has a line break, as the HTTP API does', () => {
    const line = parseEventLine(JSON.stringify(event(1, { id: 'e\u2028\n1' })), now);
    expect(line).toMatchObject({ ok: false, reason: expect.stringMatching(/^id: id must not contain control/) });
    const user = parseEventLine(JSON.stringify(event(1, { userId: 'u\u0085' })), now);
    expect(user).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^userId: userId must not contain control/),
    });
  });
});
