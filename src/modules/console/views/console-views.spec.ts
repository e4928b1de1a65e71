import { ConsoleViews } from './console-views';

const session = { keyName: 'ops', csrf: 'token' };

/** The href of every link in a page whose text is `text`, decoded from HTML as a browser reads it. */
function hrefsOf(html: string, text: string): string[] {
  const decode = (s: string) =>
    s
      .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [...html.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)]
    .filter((m) => decode(m[2]) === text)
    .map((m) => decode(m[1]));
}

describe(ConsoleViews.name, () => {
  const views = new ConsoleViews();

  it('links a lowest-graded journey to its own user, whatever characters the user id has', () => {
    const userIds = ['ana&user=ben', 'cleo#1', 'dan+eve', '50%off', 'zoë/ü?'];
    const html = views.render(
      'journeys',
      { title: 'Journeys', section: 'journeys', session },
      {
        population: { sampled: 0 },
        versions: { embedders: [], rankers: [], candidates: [] },
        judgement: {
          summary: { journeys: 0 },
          counts: {},
          tokens: {},
          grades: [],
          worst: userIds.map((userId) => ({
            userId,
            journeyName: 'Trail Running',
            rank: 1,
            grade: 2,
            explanation: 'x',
          })),
        },
      },
    );
    for (const userId of userIds) {
      const [href] = hrefsOf(html, userId);
      const url = new URL(href, 'http://console.test');
      expect(url.pathname).toBe('/console/journeys');
      expect([...url.searchParams.entries()]).toEqual([['user', userId]]);
    }
  });

  it("shows a late firing's note in the campaign's history", () => {
    const note =
      'firing due 2026-12-01T09:00:00.000Z handled 360 minutes late, past schedule.maxLateMinutes (120): no run started';
    const html = views.render(
      'campaign',
      { title: 'flash', section: 'campaigns', session },
      {
        campaign: { campaignId: 'flash', state: 'active', problems: [] },
        row: { campaignId: 'flash', state: 'active' },
        changes: [
          {
            at: new Date('2026-12-01T15:00:00Z'),
            actor: 'scheduler',
            action: 'firing-too-late',
            fromState: 'active',
            toState: 'active',
            note,
          },
        ],
        variants: [],
      },
    );
    const history = html.slice(html.indexOf('<h2>History</h2>'));
    expect(history).toContain(`firing-too-late: ${note}`);
  });
});
