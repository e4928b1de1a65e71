/** A scripted journey judge for the local OpenAI-compatible server: grades follow the evidence in the prompt. */
import { FakeChatRequest, FakeReply } from './openai-server';

/** The schema name of judge calls; naming and expansion calls during builds use others. */
export const JUDGE_SCHEMA = 'journey_grades';

export const isJudgeCall = (request: FakeChatRequest) => request.response_format?.json_schema?.name === JUDGE_SCHEMA;

/** The JSON-encoded lines of a delimited block of the user message. */
export function blockLines(request: FakeChatRequest, tag: string): string[] {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const block = new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(user)?.[1] ?? '';
  return block
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string);
}

/** The journeys of a judge prompt: key, name and keywords. */
export function promptJourneys(request: FakeChatRequest): Array<{ key: string; name: string; keywords: string[] }> {
  return blockLines(request, 'journeys').map((line) => {
    const [key, name, keywords] = line.split(' | ');
    return { key, name, keywords: keywords.replace(/^keywords: /, '').split(', ') };
  });
}

/** The activity keywords of a judge prompt (the first column of each line). */
export const promptActivity = (request: FakeChatRequest) =>
  blockLines(request, 'activity').map((l) => l.split(' | ')[0]);

/**
 * A deterministic judge: a journey earns one grade point per keyword it shares with the activity summary
 * (1 to 5), so grades follow the evidence in the prompt the way a careful model's would.
 */
export function gradeByEvidence(request: FakeChatRequest): Record<string, { grade: number; explanation: string }> {
  const activity = promptActivity(request).join(' ');
  return Object.fromEntries(
    promptJourneys(request).map((j) => {
      const shared = j.keywords.filter((k) => k !== '' && activity.includes(k)).length;
      const grade = Math.min(5, 1 + shared);
      return [j.key, { grade, explanation: `The activity supports ${shared} of its keywords.` }];
    }),
  );
}

/** Token usage like a real model's: about a token per three prompt characters. */
export function usageOf(request: FakeChatRequest): { promptTokens: number; completionTokens: number } {
  const chars = request.messages.reduce((n, m) => n + m.content.length, 0);
  return { promptTokens: Math.ceil(chars / 3), completionTokens: 60 };
}

/** Answers journey naming and expansion during builds plainly, and judge calls with `judge`. */
export function modelWith(judge: (request: FakeChatRequest) => FakeReply) {
  return (request: FakeChatRequest): FakeReply => {
    const schema = request.response_format?.json_schema?.name;
    if (schema === 'related_journeys') return { content: JSON.stringify({ related: [] }) };
    if (schema === JUDGE_SCHEMA) return judge(request);
    return { content: '{"name":"not json' };
  };
}

/** The evidence judge as a model reply, with realistic usage. */
export const evidenceReply = (request: FakeChatRequest): FakeReply => ({
  content: JSON.stringify(gradeByEvidence(request)),
  ...usageOf(request),
});
