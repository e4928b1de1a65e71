import { serialize } from 'bson';
import { validateEvent } from '../../../lib/events/validate-event';
import { RawEvent } from '../../../lib/synthetic/population';
import { buildJourneysFromExtracted } from '../domain/build-journeys';
import { Embedder } from '../domain/embedder';
import { extractEventKeywords } from '../domain/keywords';
import { FIXTURE_NOW, fixtureUser, trainFixtureEmbedder } from '../domain/testing/platform.fixture';
import { historiesOf, InferenceUser, inferUsers } from './raw-histories';

/** Stored events as the history read returns them: the projected fields, user then time order, as BSON. */
function stored(events: readonly RawEvent[], receivedAt: (i: number) => Date) {
  const docs = events.map((raw, i) => {
    const v = validateEvent(raw, FIXTURE_NOW);
    if (!v.ok) throw new Error(`invalid fixture event ${raw.id}`);
    // The history read's projection: no id, no properties.
    const { id: _id, properties: _properties, ...fields } = v.event;
    return { ...fields, receivedAt: receivedAt(i) };
  });
  docs.sort((a, b) =>
    a.userId !== b.userId ? (a.userId < b.userId ? -1 : 1) : a.occurredAt.getTime() - b.occurredAt.getTime(),
  );
  const parts = docs.map((d) => serialize(d));
  const raw = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  parts.reduce((at, p) => (raw.set(p, at), at + p.byteLength), 0);
  return { docs, raw };
}

/** Users to infer who have no stored build yet. */
const firstBuilds = (...userIds: string[]): InferenceUser[] =>
  userIds.map((userId) => ({ userId, hasBase: false, previous: [] }));

describe('inference from raw stored histories', () => {
  let embedder: Embedder;
  const alice = fixtureUser(1, 60).events.map((e) => ({ ...e, userId: 'alice' }));
  const bob = fixtureUser(2, 40).events.map((e) => ({ ...e, userId: 'bob' }));
  const receivedAt = (i: number) => new Date(FIXTURE_NOW.getTime() - 3_600_000 + (i % 7) * 60_000);
  const { docs, raw } = stored([...bob, ...alice], receivedAt);

  beforeAll(() => {
    embedder = trainFixtureEmbedder();
  });

  it('decodes each user’s events in stored order with the latest receipt time among them', () => {
    const histories = historiesOf(raw);
    expect([...histories.keys()]).toEqual(['alice', 'bob']);
    for (const userId of ['alice', 'bob']) {
      const own = docs.filter((d) => d.userId === userId);
      const history = histories.get(userId)!;
      expect(history.events).toEqual(own);
      expect(history.receivedThrough).toEqual(new Date(Math.max(...own.map((d) => d.receivedAt.getTime()))));
    }
  });

  it('reads a buffer that is a view into a larger one, and an empty one', () => {
    const padded = new Uint8Array(raw.byteLength + 16);
    padded.set(raw, 8);
    expect(historiesOf(padded.subarray(8, 8 + raw.byteLength))).toEqual(historiesOf(raw));
    expect(historiesOf(new Uint8Array(0)).size).toBe(0);
  });

  it('infers the same journeys as inference on decoded events, in the order asked', () => {
    const inferred = inferUsers(raw, firstBuilds('bob', 'alice'), embedder, FIXTURE_NOW);
    expect(inferred.map((u) => [u.userId, u.events, u.error])).toEqual([
      ['bob', bob.length, undefined],
      ['alice', alice.length, undefined],
    ]);
    for (const user of inferred) {
      const events = docs.filter((d) => d.userId === user.userId).map(extractEventKeywords);
      const expected = buildJourneysFromExtracted(user.userId, events, { now: FIXTURE_NOW, embedder, previous: [] });
      expect(expected.length).toBeGreaterThan(0);
      expect(user.journeys).toEqual(expected);
    }
  });

  it('keeps journey identity from the previous build', () => {
    const [first] = inferUsers(raw, firstBuilds('alice'), embedder, FIXTURE_NOW);
    const previous = first.journeys.map((j) => ({ ...j, id: `kept-${j.id}` }));
    const [again] = inferUsers(raw, [{ userId: 'alice', hasBase: true, previous }], embedder, FIXTURE_NOW);
    expect(again.journeys.map((j) => j.id)).toEqual(previous.map((j) => j.id));
  });

  it('infers nothing for a user with no events and no stored build, and an empty build for one with a build', () => {
    const inferred = inferUsers(
      raw,
      [...firstBuilds('carol'), { userId: 'dave', hasBase: true, previous: [] }],
      embedder,
      FIXTURE_NOW,
    );
    expect(inferred).toEqual([
      { userId: 'carol', events: 0, receivedThrough: undefined, journeys: [] },
      { userId: 'dave', events: 0, receivedThrough: undefined, journeys: [] },
    ]);
  });

  it('reports one user’s failure in their entry and still infers the others', () => {
    /** The embedder, failing every call after the first `budget` ones. */
    const limited = (budget: number): Embedder & { calls: number } => {
      const counter = { calls: 0 };
      return new Proxy(embedder, {
        get(target, key) {
          if (key === 'calls') return counter.calls;
          const value = Reflect.get(target, key, target) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (++counter.calls > budget) throw new Error('embedding failed');
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }) as Embedder & { calls: number };
    };
    const aliceOnly = limited(Infinity);
    inferUsers(raw, firstBuilds('alice'), aliceOnly, FIXTURE_NOW);
    // Enough calls for alice, none left for bob.
    const [a, b] = inferUsers(raw, firstBuilds('alice', 'bob'), limited(aliceOnly.calls), FIXTURE_NOW);
    expect(a.error).toBeUndefined();
    expect(a.journeys.length).toBeGreaterThan(0);
    expect(b).toMatchObject({ userId: 'bob', events: bob.length, journeys: [], error: 'embedding failed' });
  });
});
