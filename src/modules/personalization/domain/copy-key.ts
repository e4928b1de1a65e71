import { createHash } from 'node:crypto';
import { CopyRequest, CopySubject } from './copy-types';

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

/**
 * A journey's copy signature: its name, stage, type, three heaviest keywords and related journeys. Users
 * whose journeys agree on these get the same prompt, so they share one LLM call.
 */
export function copySignature(subject: CopySubject): string {
  const top = subject.keywords
    .slice(0, 3)
    .map((k) => k.toLowerCase())
    .sort();
  const related = subject.related.map((r) => r.toLowerCase()).sort();
  return sha([subject.name.toLowerCase(), subject.stage, subject.type, top, related]);
}

/** The cache key of LLM copy: signature × copy variant × locale × prompt version × model (plus the settings that shape the prompt). */
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
    request.allowHtml,
  ]);
}
