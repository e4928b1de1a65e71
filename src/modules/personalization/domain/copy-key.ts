import { createHash } from 'node:crypto';
import { COPY_PARTS, CopyRequest, CopySubject, HTML_PART } from './copy-types';

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

/** How many of a journey's heaviest keywords its copy signature, prompt and validation read. */
export const SIGNATURE_KEYWORDS = 3;

/** What copy is written from and checked against: the journey's name, top keywords and related journeys. */
export function signatureKeywords(subject: CopySubject): string[] {
  return subject.keywords.slice(0, SIGNATURE_KEYWORDS);
}

/**
 * A journey's copy signature: its name, stage, type, three heaviest keywords and related journeys. Users
 * whose journeys agree on these get the same prompt and validation (nothing else of the journey reaches
 * either), so they share one LLM call, and one user's other keywords cannot steer what the others get.
 */
export function copySignature(subject: CopySubject): string {
  const top = signatureKeywords(subject)
    .map((k) => k.toLowerCase())
    .sort();
  const related = subject.related.map((r) => r.toLowerCase()).sort();
  return sha([subject.name.toLowerCase(), subject.stage, subject.type, top, related]);
}

/**
 * The cache key of LLM copy: signature × copy variant × locale × prompt version × model, plus the settings
 * that shape the prompt and its validation (the blocked terms too: a term blocked later keys anew).
 * `allowHtml` only where the channel has the part it applies to: push copy is the same whatever a
 * campaign says of an email's intro, and keys as it always did.
 */
export function copyCacheKey(request: CopyRequest, model: string): string {
  return sha([
    copySignature(request.subject),
    'journey-llm',
    request.channel,
    request.locale.toLowerCase(),
    request.promptVersion,
    model,
    request.tone,
    request.limits,
    request.allowUrls,
    request.allowHtml && COPY_PARTS[request.channel].includes(HTML_PART),
    [...new Set(request.blockedTerms.map((t) => t.toLowerCase()))].sort(),
  ]);
}
