import { dataOnlyInstruction, delimitUserText } from '../../../lib/prompt/delimit';
import { ActivityKeyword, ActivitySummary, GRADES, JourneyForJudge } from './judge-types';

/**
 * Bump when the prompt, the rubric or the reply validation changes: the version is part of every cache key and
 * is stored with each judgement, so grades of different versions are never mixed or compared as like for like.
 */
export const JUDGE_PROMPT_VERSION = 'judge-v1';

/** The rubric, in the prompt word for word; the README quotes it for human graders. */
export const JUDGE_RUBRIC: ReadonlyArray<readonly [number, string]> = [
  [5, 'clearly what the person is working towards now: well supported by recent activity, specific, well named'],
  [4, 'relevant and supported, but less current, a little broad, or slightly off in its name or keywords'],
  [3, 'partly relevant: related to the activity but vague, mixing unrelated things, or mostly in the past'],
  [2, 'weakly related: little support in the activity, or too generic to be useful'],
  [1, 'unrelated or wrong: not supported by the activity, or contradicting it'],
];

export interface JudgePrompt {
  system: string;
  user: string;
  schema: { name: string; schema: Record<string, unknown> };
  maxTokens: number;
}

/** The reply key of the journey at a position: `j1` for the first. */
export const journeyKey = (index: number) => `j${index + 1}`;

function activityLine(k: ActivityKeyword): string {
  const actions = Object.entries(k.actions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, n]) => `${action} ${n}`)
    .join(', ');
  return `${k.text} | ${k.events} events (${actions}) | from ${k.sources.join(', ')} | last seen ${k.lastSeen}`;
}

function journeyLine(j: JourneyForJudge, index: number): string {
  return (
    `${journeyKey(index)} | ${j.name} | keywords: ${j.keywords.join(', ')} | ${j.type}, ${j.stage} | ` +
    `confidence ${j.confidence} | last active ${j.lastActive}`
  );
}

/**
 * The judge prompt: role, rubric and answer format in the system message; the activity summary (extracted
 * keywords with counts) and the journeys only inside delimited data blocks in the user message.
 */
export function buildJudgePrompt(activity: ActivitySummary, journeys: readonly JourneyForJudge[]): JudgePrompt {
  const keys = journeys.map((_, i) => journeyKey(i));
  const system = [
    'You evaluate a system that infers what a person is working towards (a kitchen renovation, marathon training)',
    "from their activity on a platform. You get a summary of one person's recent activity, as keywords with how",
    'often and how recently they engaged with them, and the journeys the system predicted for them, best first.',
    'Grade each journey on this scale:',
    ...JUDGE_RUBRIC.map(([grade, meaning]) => `${grade} = ${meaning}.`),
    'Judge only from the data given; a journey the activity does not support gets a low grade however plausible.',
    `Answer with JSON only: for each journey key (${keys.join(', ')}) an object {"grade": 1-5, "explanation":`,
    'one sentence of at most 30 words saying why}. No URLs, no HTML.',
    dataOnlyInstruction('activity'),
    dataOnlyInstruction('journeys'),
  ].join(' ');
  const user = [
    `Activity in the last ${activity.windowDays} days: ${activity.events} events on ${activity.activeDays} days.`,
    'Keywords, strongest first (keyword | events by action | where it came from | last seen):',
    delimitUserText('activity', activity.keywords.map(activityLine)),
    'Predicted journeys, best first (key | name | keywords | type and stage | confidence | last activity):',
    delimitUserText('journeys', journeys.map(journeyLine)),
  ].join('\n');
  const entry = {
    type: 'object',
    properties: { grade: { type: 'integer', enum: [...GRADES] }, explanation: { type: 'string' } },
    required: ['grade', 'explanation'],
    additionalProperties: false,
  };
  return {
    system,
    user,
    // One required property per journey: the schema itself says that every journey gets exactly one grade.
    schema: {
      name: 'journey_grades',
      schema: {
        type: 'object',
        properties: Object.fromEntries(keys.map((key) => [key, entry])),
        required: keys,
        additionalProperties: false,
      },
    },
    // About 60 tokens per graded journey (a 30-word sentence and the JSON around it), with room to spare.
    maxTokens: 40 + 90 * journeys.length,
  };
}
