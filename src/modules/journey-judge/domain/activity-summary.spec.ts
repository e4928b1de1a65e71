import { journeysForJudge, JudgedEvent, summarizeActivity } from './activity-summary';
import { buildJudgePrompt } from './judge-prompt';
import { privateTokens } from './private-terms';

const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(NOW.getTime() - daysAgo * DAY);

const identifiers = { userId: 'ana-lopez-4711', email: 'ana.lopez@example.org', names: ['Ana Lopez'] };
const tokens = privateTokens(identifiers);

const events: JudgedEvent[] = [
  { type: 'search', occurredAt: at(1), query: 'small kitchen island ideas for my tiny flat' },
  { type: 'search', occurredAt: at(2), query: 'kitchen island with seating' },
  {
    type: 'save',
    occurredAt: at(3),
    item: { id: 'i1', title: 'Walnut kitchen island', annotations: ['kitchen island'] },
  },
  { type: 'search', occurredAt: at(4), query: 'ana.lopez@example.org kitchen island quotes' },
  { type: 'search', occurredAt: at(5), query: 'ana lopez kitchen order 55512345' },
  { type: 'search', occurredAt: at(6), query: 'ana lopez kitchen order 55512345' },
  // Outside the 30-day window, and after `now` (the build did not see it): neither is summarised.
  { type: 'search', occurredAt: at(45), query: 'marathon training plan' },
  { type: 'search', occurredAt: at(46), query: 'marathon training plan' },
  { type: 'search', occurredAt: new Date(NOW.getTime() + DAY), query: 'wedding venue' },
  { type: 'search', occurredAt: new Date(NOW.getTime() + DAY), query: 'wedding venue' },
];

describe('summarizeActivity', () => {
  const summary = summarizeActivity(events, { now: NOW, windowDays: 30, maxKeywords: 30, privateTokens: tokens });

  it('summarises recurring extracted keywords with counts and coarse recency', () => {
    const island = summary.keywords.find((k) => k.text === 'kitchen island');
    expect(island).toMatchObject({ events: 4, lastSeen: 'this week' });
    expect(island!.actions).toEqual({ save: 1, search: 3 });
    expect(summary.events).toBe(6);
    expect(summary.activeDays).toBe(6);
  });

  it('keeps events outside the window or after the build out', () => {
    const texts = summary.keywords.map((k) => k.text).join(' ');
    expect(texts).not.toMatch(/marathon|wedding/);
  });

  it('lets no identifier, digit run or raw query reach the prompt', () => {
    const journeys = journeysForJudge(
      [
        {
          name: 'Ana Lopez Kitchen',
          rank: 1,
          keywords: [
            { text: 'kitchen island', weight: 1 },
            { text: 'lopez kitchen', weight: 0.5 },
          ],
          type: 'situational',
          stage: 'ongoing',
          confidence: 0.81234,
          engagement: { lastSeen: at(1) },
        },
      ],
      { now: NOW, privateTokens: tokens, topK: 3 },
    );
    const prompt = buildJudgePrompt(summary, journeys);
    // The system message is fixed text; everything about the user is in the user message.
    const text = prompt.user.toLowerCase();
    for (const secret of ['ana', 'lopez', '4711', 'example', 'org', '55512345', 'tiny flat', 'quotes']) {
      expect(text).not.toMatch(new RegExp(`\\b${secret}\\b`));
    }
    expect(text).toContain('kitchen island');
    expect(journeys[0]).toMatchObject({
      name: '[private] [private] kitchen',
      keywords: ['kitchen island'],
      confidence: 0.81,
    });
  });

  it('grades only the top-k journeys, in rank order', () => {
    const journey = (name: string, rank: number) => ({
      name,
      rank,
      keywords: [{ text: name, weight: 1 }],
      type: 'evergreen' as const,
      stage: 'ongoing' as const,
      confidence: 0.5,
      engagement: { lastSeen: at(10) },
    });
    const top = journeysForJudge([journey('c', 3), journey('a', 1), journey('b', 2)], {
      now: NOW,
      privateTokens: tokens,
      topK: 2,
    });
    expect(top.map((j) => [j.name, j.lastActive])).toEqual([
      ['a', 'this month'],
      ['b', 'this month'],
    ]);
  });
});
