import { ActivityEvent } from '../../../lib/events/activity-event';
import {
  compareWithHolder,
  conflictsInBatch,
  describeConflict,
  differingFields,
  repeatsInBatch,
} from './event-replays';

const event = (extra: Partial<ActivityEvent> = {}): ActivityEvent => ({
  id: 'e1',
  userId: 'u1',
  type: 'save',
  occurredAt: new Date('2026-03-01T11:00:00Z'),
  item: { id: 'i1', title: 'Oak shelf', annotations: ['oak'] },
  properties: { source: 'app', sizes: [1, 2], nested: { a: 1, b: null } },
  ...extra,
});

describe('differingFields', () => {
  it.each<[string, Partial<ActivityEvent>, string[]]>([
    ['the same event', {}, []],
    ['the same instant as another Date', { occurredAt: new Date('2026-03-01T12:00:00+01:00') }, []],
    [
      'properties in another key order',
      { properties: { nested: { b: null, a: 1 }, sizes: [1, 2], source: 'app' } },
      [],
    ],
    ['a field read back as null', { query: null as unknown as string }, []],
    ['another user', { userId: 'u2' }, ['userId']],
    ['another type and time', { type: 'click', occurredAt: new Date('2026-03-01T11:00:01Z') }, ['type', 'occurredAt']],
    ['a query added', { query: 'oak' }, ['query']],
    ['another annotation', { item: { id: 'i1', title: 'Oak shelf', annotations: ['pine'] } }, ['item']],
    ['an item field left out', { item: { id: 'i1', title: 'Oak shelf' } }, ['item']],
    [
      'a list in another order',
      { properties: { source: 'app', sizes: [2, 1], nested: { a: 1, b: null } } },
      ['properties'],
    ],
    [
      'a number sent as a string',
      { properties: { source: 'app', sizes: [1, '2'], nested: { a: 1, b: null } } },
      ['properties'],
    ],
    ['properties left out', { properties: undefined }, ['properties']],
  ])('%s', (_name, change, fields) => {
    expect(differingFields(event(), event(change))).toEqual(fields);
  });
});

describe('repeatsInBatch and conflictsInBatch', () => {
  const batch = [
    event(),
    event({ id: 'e2' }),
    event(),
    event({ userId: 'u2' }),
    event({ id: 'e2', query: 'oak' }),
    event({ id: 'e3' }),
  ];

  it('lists the first use of each id and its later uses', () => {
    const { firsts, later } = repeatsInBatch(batch);
    expect(firsts).toEqual([0, 1, 5]);
    expect([...later]).toEqual([
      [0, [2, 3]],
      [1, [4]],
    ]);
  });

  it('names the later uses with other content than the first, in index order', () => {
    expect(conflictsInBatch(batch, repeatsInBatch(batch).later)).toEqual([
      { index: 3, with: 0, fields: ['userId'] },
      { index: 4, with: 1, fields: ['query'] },
    ]);
  });
});

describe('compareWithHolder', () => {
  it('is a duplicate with the same content and a conflict naming the fields otherwise', () => {
    expect(compareWithHolder(event(), event(), 'stored')).toEqual({ kind: 'duplicate' });
    expect(compareWithHolder(event({ userId: 'u2' }), event(), 3)).toEqual({
      kind: 'conflict',
      with: 3,
      fields: ['userId'],
    });
  });
});

describe('describeConflict', () => {
  it('names the id, what holds it and what differs', () => {
    const name = (i: number) => `events[${i}]`;
    expect(describeConflict('e1', { index: 4, with: 'stored', fields: ['userId', 'occurredAt'] }, name)).toBe(
      'id e1 is already used by a stored event with another userId, occurredAt',
    );
    expect(describeConflict('e1', { index: 4, with: 1, fields: ['query'] }, name)).toBe(
      'id e1 is already used by events[1] with another query',
    );
  });
});
