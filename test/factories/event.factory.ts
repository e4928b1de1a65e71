import { RawEvent } from '../../src/lib/synthetic/population';

let sequence = 0;

/** A valid search event; override any field (set one to undefined to drop it). */
export function buildEvent(overrides: Record<string, unknown> = {}): RawEvent & Record<string, unknown> {
  sequence += 1;
  return {
    id: `evt-${process.pid}-${sequence}`,
    userId: 'user-1',
    type: 'search',
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
    query: 'small kitchen renovation ideas',
    ...overrides,
  };
}

/** `count` valid events cycling through the event types that need an item, a query or a board. */
export function buildEvents(
  count: number,
  overrides: Record<string, unknown> = {},
): Array<RawEvent & Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => {
    switch (i % 3) {
      case 0:
        return buildEvent({ type: 'search', query: `query ${i}`, ...overrides });
      case 1:
        return buildEvent({
          type: 'save',
          query: undefined,
          item: { id: `item-${i}`, title: `Oak shelf ${i}`, annotations: ['oak', 'shelf'], categories: ['home'] },
          ...overrides,
        });
      default:
        return buildEvent({ type: 'board', query: undefined, board: { name: 'Kitchen' }, ...overrides });
    }
  });
}
