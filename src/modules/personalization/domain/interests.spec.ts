import { rankInterests } from './interests';

const at = (day: number) => new Date(Date.UTC(2026, 0, day));

describe('rankInterests', () => {
  const events = [
    { type: 'search' as const, occurredAt: at(1), query: 'trail running shoes' },
    { type: 'search' as const, occurredAt: at(2), query: 'trail running' },
    { type: 'view' as const, occurredAt: at(3), item: { id: 'i1', title: 'Sourdough starter' } },
    { type: 'save' as const, occurredAt: at(4), item: { id: 'i2', title: 'Trail shoes', annotations: ['trail'] } },
  ];

  it('ranks keywords by the number of events that mention them, ties by key', () => {
    const ranked = rankInterests(events);
    expect(ranked[0]).toMatchObject({ key: 'trail', events: 3 });
    expect(ranked.slice(1, 3).map((i) => i.key)).toEqual(['running', 'shoe']);
  });

  it('keeps the surface the user saw most', () => {
    expect(rankInterests(events).find((i) => i.key === 'shoe')?.text).toBe('shoes');
  });

  it('counts no keyword of an event that `counted` leaves out', () => {
    const ranked = rankInterests(events, (texts) => !texts.includes('running'));
    expect(ranked.map((i) => i.key)).not.toContain('running');
    expect(ranked.find((i) => i.key === 'trail')?.events).toBe(1);
  });
});
