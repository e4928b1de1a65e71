import { parseJsonObject } from '../../../lib/prompt/json-reply';
import { guardGeneratedText } from '../../../lib/prompt/output-guard';
import { journeyKey } from './judge-prompt';
import { isGrade, JourneyGrade } from './judge-types';

/** Longest explanation kept; the prompt asks for one sentence of at most 30 words. */
export const MAX_EXPLANATION_CHARS = 300;

export type JudgeReply = { ok: true; grades: JourneyGrade[] } | { ok: false; reason: string };

/**
 * Validates a judge reply: JSON with exactly one entry per journey key, each an integer grade 1–5 and a
 * one-sentence explanation without URLs, HTML or control characters. Anything else rejects the whole reply,
 * so a half-understood answer never counts.
 */
export function parseJudgeReply(text: string, journeyCount: number): JudgeReply {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return parsed;
  const entries = parsed.value;
  const keys = Array.from({ length: journeyCount }, (_, i) => journeyKey(i));
  const unexpected = Object.keys(entries).find((key) => !keys.includes(key));
  if (unexpected !== undefined) return { ok: false, reason: `unexpected key "${unexpected.slice(0, 40)}"` };
  const grades: JourneyGrade[] = [];
  for (const key of keys) {
    const entry = entries[key];
    if (typeof entry !== 'object' || entry === null) return { ok: false, reason: `${key} is missing` };
    const { grade, explanation } = entry as Record<string, unknown>;
    if (!isGrade(grade)) {
      return {
        ok: false,
        reason: `${key}.grade must be an integer from 1 to 5 (got ${String(JSON.stringify(grade)).slice(0, 40)})`,
      };
    }
    const guarded = guardGeneratedText(explanation, { maxLength: MAX_EXPLANATION_CHARS });
    if (!guarded.ok) return { ok: false, reason: `${key}.explanation: ${guarded.reason}` };
    grades.push({ grade, explanation: guarded.text });
  }
  return { ok: true, grades };
}
