import { extractFeatures, FEATURE_NAMES, FeatureName, summariseUser } from './features';
import { NotificationOutcome } from './notification-outcome';
import { makeJourney, randomJourneys } from './testing/journeys.fixture';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY_MS = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY_MS);

function featureOf(values: Float64Array, name: FeatureName): number {
  return values[FEATURE_NAMES.indexOf(name)];
}

describe('extractFeatures', () => {
  it('returns one finite value per feature name', () => {
    for (const journey of randomJourneys(7, 20, NOW)) {
      const values = extractFeatures(journey, summariseUser([journey]), NOW);
      expect(values).toHaveLength(FEATURE_NAMES.length);
      expect(Array.from(values).every(Number.isFinite)).toBe(true);
    }
  });

  it('is deterministic for the same input', () => {
    const journeys = randomJourneys(11, 5, NOW);
    const user = summariseUser(journeys);
    expect(journeys.map((j) => Array.from(extractFeatures(j, user, NOW)))).toEqual(
      journeys.map((j) => Array.from(extractFeatures(j, user, NOW))),
    );
  });

  it.each([
    ['an event now counts 1 at every half-life', [0], [1, 1, 1]],
    [
      'an event one half-life (7 days) ago halves the 7-day count',
      [7],
      [0.5, Math.pow(0.5, 7 / 30), Math.pow(0.5, 7 / 180)],
    ],
    ['two events 30 days ago', [30, 30], [2 * Math.pow(0.5, 30 / 7), 1, 2 * Math.pow(0.5, 30 / 180)]],
  ])('decayed counts: %s', (_name, ages, expected) => {
    const journey = makeJourney(NOW, { ageDays: ages });
    const values = extractFeatures(journey, summariseUser([journey]), NOW);
    const names: FeatureName[] = ['decayed_7d_log', 'decayed_30d_log', 'decayed_180d_log'];
    names.forEach((name, i) => expect(featureOf(values, name)).toBeCloseTo(Math.log1p(expected[i]), 10));
  });

  it('ignores events after now (the future the ranker must not see)', () => {
    const past = makeJourney(NOW, { ageDays: [2] });
    const withFuture = makeJourney(NOW, { ageDays: [2, -3] });
    const a = extractFeatures(past, summariseUser([past]), NOW);
    const b = extractFeatures(withFuture, summariseUser([withFuture]), NOW);
    expect(featureOf(b, 'decayed_7d_log')).toBeCloseTo(featureOf(a, 'decayed_7d_log'), 12);
  });

  it('measures recency, span, cadence and the share of the user', () => {
    const journey = makeJourney(NOW, { ageDays: [10, 20, 30] });
    const other = makeJourney(NOW, { name: 'marathon training', ageDays: [1] });
    const values = extractFeatures(journey, summariseUser([journey, other]), NOW);
    expect(featureOf(values, 'days_since_last_log')).toBeCloseTo(Math.log1p(10), 10);
    expect(featureOf(values, 'span_days_log')).toBeCloseTo(Math.log1p(20), 10);
    expect(featureOf(values, 'cadence_days_log')).toBeCloseTo(Math.log1p(10), 10);
    expect(featureOf(values, 'event_share')).toBeCloseTo(3 / 4, 10);
    expect(featureOf(values, 'days_behind_user_log')).toBeCloseTo(Math.log1p(9), 10);
    expect(featureOf(values, 'user_journeys_log')).toBeCloseTo(Math.log1p(2), 10);
  });

  it('reads fatigue from the notifications about this journey only', () => {
    const journey = makeJourney(NOW, { name: 'kitchen renovation' });
    const sent = (d: number, opened: boolean, journeyName = 'kitchen renovation'): NotificationOutcome => ({
      userId: 'u1',
      journeyName,
      sentAt: daysAgo(d),
      openedAt: opened ? new Date(daysAgo(d).getTime() + 3_600_000) : null,
    });
    const history = [
      sent(4, false),
      sent(5, false),
      sent(20, true),
      sent(1, true, 'marathon training'),
      sent(200, false),
    ];
    const values = extractFeatures(journey, summariseUser([journey]), NOW, history);
    expect(featureOf(values, 'fatigue_sent_7d_log')).toBeCloseTo(Math.log1p(2), 10);
    expect(featureOf(values, 'fatigue_sent_30d_log')).toBeCloseTo(Math.log1p(3), 10);
    expect(featureOf(values, 'fatigue_engaged_rate')).toBeCloseTo((1 + 1) / (3 + 2), 10);
    expect(featureOf(values, 'fatigue_ignored_streak_log')).toBeCloseTo(Math.log1p(2), 10);
    expect(featureOf(values, 'days_since_notified_log')).toBeCloseTo(Math.log1p(4), 10);
  });

  it('counts neither pending notifications as ignored nor opens after now as engaged', () => {
    const journey = makeJourney(NOW);
    const history: NotificationOutcome[] = [
      // Sent 10 hours ago, not opened yet: still inside the 72-hour window.
      { userId: 'u1', journeyName: journey.name, sentAt: new Date(NOW.getTime() - 10 * 3_600_000) },
      // Sent 2 days ago, opened tomorrow: at `now` the open is unknown and the window still open.
      { userId: 'u1', journeyName: journey.name, sentAt: daysAgo(2), openedAt: daysAgo(-1) },
      // Sent 5 days ago, opened 1 day ago (after its window): ignored.
      { userId: 'u1', journeyName: journey.name, sentAt: daysAgo(5), openedAt: daysAgo(1) },
    ];
    const values = extractFeatures(journey, summariseUser([journey]), NOW, history);
    expect(featureOf(values, 'fatigue_sent_7d_log')).toBeCloseTo(Math.log1p(3), 10);
    expect(featureOf(values, 'fatigue_engaged_rate')).toBeCloseTo(1 / 3, 10);
    expect(featureOf(values, 'fatigue_ignored_streak_log')).toBeCloseTo(Math.log1p(1), 10);
  });

  it('treats a journey never notified about as rested', () => {
    const journey = makeJourney(NOW);
    const values = extractFeatures(journey, summariseUser([journey]), NOW);
    expect(featureOf(values, 'fatigue_sent_30d_log')).toBe(0);
    expect(featureOf(values, 'fatigue_engaged_rate')).toBe(0.5);
    expect(featureOf(values, 'days_since_notified_log')).toBeCloseTo(Math.log1p(365), 10);
  });
});
