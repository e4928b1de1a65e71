import { UserEventStore } from './event-store';

const event = (id: string, userId: string, minute: number, query: string) => ({
  id,
  userId,
  type: 'search' as const,
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
  query,
});

describe(UserEventStore.name, () => {
  it('groups events per user in time order, users in id order, and drops repeated ids', () => {
    const store = new UserEventStore();
    expect(store.add(event('e1', 'u2', 5, 'yoga'))).toBe(true);
    expect(store.add(event('e2', 'u1', 9, 'knitting'))).toBe(true);
    expect(store.add(event('e3', 'u2', 1, 'yin yoga'))).toBe(true);
    expect(store.add(event('e1', 'u2', 5, 'yoga'))).toBe(false);
    expect([store.events, store.users]).toEqual([3, 2]);
    const entries = [...store.entries()];
    expect(entries.map(([u]) => u)).toEqual(['u1', 'u2']);
    expect(entries[1][1].map((e) => e.at)).toEqual([Date.UTC(2026, 0, 1, 0, 1), Date.UTC(2026, 0, 1, 0, 5)]);
    expect([...store.eventLists()]).toHaveLength(2);
  });

  it('shares identical keyword mentions between events', () => {
    const store = new UserEventStore();
    store.add(event('a', 'u1', 1, 'yoga'));
    store.add(event('b', 'u9', 2, 'yoga'));
    const [[, first], [, second]] = [...store.entries()];
    expect(first[0].mentions[0]).toBe(second[0].mentions[0]);
  });
});
