import { buildJudgePrompt, JUDGE_PROMPT_VERSION } from './judge-prompt';
import { parseJudgeReply } from './judge-reply';
import { ActivitySummary, JourneyForJudge } from './judge-types';

const activity: ActivitySummary = {
  windowDays: 90,
  events: 12,
  activeDays: 5,
  keywords: [
    {
      text: 'kitchen island',
      events: 6,
      actions: { save: 4, search: 2 },
      sources: ['search', 'title'],
      lastSeen: 'this week',
    },
  ],
};
const journeys: JourneyForJudge[] = [
  {
    name: 'Kitchen Remodel',
    rank: 1,
    keywords: ['kitchen island'],
    type: 'situational',
    stage: 'ongoing',
    confidence: 0.8,
    lastActive: 'this week',
  },
  {
    name: 'Marathon',
    rank: 2,
    keywords: ['marathon'],
    type: 'evergreen',
    stage: 'ended',
    confidence: 0.4,
    lastActive: 'this month',
  },
];

const entry = (grade: unknown, explanation: unknown = 'Supported by recent saves.') => ({ grade, explanation });

describe('buildJudgePrompt', () => {
  const prompt = buildJudgePrompt(activity, journeys);

  it('puts the rubric in the system message and the data in delimited blocks', () => {
    expect(prompt.system).toContain('5 = clearly what the person is working towards now');
    expect(prompt.system).toContain('1 = unrelated or wrong');
    expect(prompt.user).toContain(
      '<activity>\n"kitchen island | 6 events (save 4, search 2) | from search, title | last seen this week"\n</activity>',
    );
    expect(prompt.user).toMatch(/<journeys>\n"j1 \| Kitchen Remodel \|.*"\n"j2 \| Marathon \|.*"\n<\/journeys>/);
    expect(JUDGE_PROMPT_VERSION).toBe('judge-v1');
  });

  it('asks for exactly one grade per journey through the schema', () => {
    const schema = prompt.schema.schema as {
      required: string[];
      properties: Record<string, { properties: { grade: { enum: number[] } } }>;
    };
    expect(schema.required).toEqual(['j1', 'j2']);
    expect(schema.properties.j1.properties.grade.enum).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('parseJudgeReply', () => {
  it('reads a well-formed reply', () => {
    const reply = parseJudgeReply(JSON.stringify({ j1: entry(5), j2: entry(2, '  Ended a while ago.  ') }), 2);
    expect(reply).toEqual({
      ok: true,
      grades: [
        { grade: 5, explanation: 'Supported by recent saves.' },
        { grade: 2, explanation: 'Ended a while ago.' },
      ],
    });
  });

  it.each([
    ['not JSON', 'Sure! j1: 5', 'reply is not JSON'],
    ['an array', '[5, 2]', 'reply is not an object'],
    ['a missing journey', JSON.stringify({ j1: entry(5) }), 'j2 is missing'],
    ['an extra journey', JSON.stringify({ j1: entry(5), j2: entry(4), j3: entry(1) }), 'unexpected key "j3"'],
    [
      'a grade above 5',
      JSON.stringify({ j1: entry(7), j2: entry(4) }),
      'j1.grade must be an integer from 1 to 5 (got 7)',
    ],
    ['a grade of 0', JSON.stringify({ j1: entry(0), j2: entry(4) }), 'j1.grade must be an integer from 1 to 5 (got 0)'],
    ['a fractional grade', JSON.stringify({ j1: entry(4.5), j2: entry(4) }), 'got 4.5'],
    ['a grade as text', JSON.stringify({ j1: entry('5'), j2: entry(4) }), 'got "5"'],
    ['an empty explanation', JSON.stringify({ j1: entry(5, ' '), j2: entry(4) }), 'j1.explanation: empty'],
    [
      'a URL in the explanation',
      JSON.stringify({ j1: entry(5, 'See https://x.io now'), j2: entry(4) }),
      'contains a URL',
    ],
    ['HTML in the explanation', JSON.stringify({ j1: entry(5, 'Good <b>fit</b>'), j2: entry(4) }), 'contains HTML'],
    ['an essay', JSON.stringify({ j1: entry(5, 'word '.repeat(80)), j2: entry(4) }), 'longer than 300 characters'],
  ])('rejects %s', (_name, text, reason) => {
    const reply = parseJudgeReply(text, 2);
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.reason).toContain(reason);
  });
});
