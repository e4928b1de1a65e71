import { createHash } from 'node:crypto';
import { describedMaxLength } from '../prompt/strict-schema';
import type { ChatReply, ChatRequest } from './openai-compatible-server';
import { COPY_PHRASES, CopyPhrases, RELATED_FACETS } from './development-phrases';

/**
 * The answers of the development LLM: a deterministic writer, not a language model. It reads the product's
 * own prompts (journey naming, related journeys, push and email copy) by their response schema, takes the
 * delimited user data out of them, and answers in the requested shape from phrase lists in a few
 * languages: grounded (every answer reuses the journey's own words), varied (the phrasing is picked by a
 * hash of the journey, so journeys read differently and a journey always reads the same), and within the
 * lengths the schema allows. Anything else gets `{}`, which the product rejects as it would a bad reply.
 */
export function developmentReply(request: ChatRequest): ChatReply {
  const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const schema = request.response_format?.json_schema;
  const limits = maxLengths(schema?.schema);
  const content = (() => {
    switch (schema?.name ?? '') {
      case 'journey_name':
        return { name: journeyName(block(user, 'keywords'), limits.name ?? 40) };
      case 'related_journeys':
        return { related: relatedJourneys(block(user, 'journey')[0] ?? '') };
      case 'push_copy':
      case 'email_copy':
        return copy(user, localeOf(system), limits);
      default:
        return {};
    }
  })();
  return { content: JSON.stringify(content) };
}

/** The JSON-string lines of a `<tag>` block of a prompt (how the product delimits user data). */
function block(text: string, tag: string): string[] {
  const match = new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n?</${tag}>`).exec(text);
  if (!match) return [];
  return match[1]
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      try {
        return String(JSON.parse(line));
      } catch {
        return line;
      }
    });
}

/** Each property's longest length, as a strict schema says it in its description. */
function maxLengths(schema: Record<string, unknown> | undefined): Record<string, number> {
  const properties = (schema?.properties ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(properties)
      .map(([k, p]) => [k, describedMaxLength(p)] as const)
      .filter((entry): entry is readonly [string, number] => entry[1] !== undefined),
  );
}

function localeOf(system: string): string {
  return /language of locale "([^"]+)"/.exec(system)?.[1] ?? 'en';
}

/** A stable pick among `count` options for `key`. */
function pick(key: string, count: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % count;
}

const titleCase = (text: string) =>
  text.replace(/(^|\s)(\p{Ll})/gu, (_, space: string, c: string) => space + c.toUpperCase());

/** The heaviest keyword, title-cased: grounded by construction, as a careful writer would keep it. */
function journeyName(keywords: string[], maxLength: number): string {
  const name = titleCase(keywords[0] ?? 'New Ideas')
    .split(/\s+/)
    .slice(0, 4)
    .join(' ');
  return name.length <= maxLength ? name : name.slice(0, maxLength).replace(/\s+\S*$/u, '');
}

/** Five to eight related journey names: the journey's own head word with facets a person might explore next. */
function relatedJourneys(name: string): string[] {
  const head = name.split(/\s+/)[0] || 'Home';
  const start = pick(name, RELATED_FACETS.length);
  const count = 5 + pick(`${name}#`, 4);
  return Array.from({ length: count }, (_, i) => `${head} ${RELATED_FACETS[(start + i) % RELATED_FACETS.length]}`);
}

function copy(user: string, locale: string, limits: Record<string, number>): Record<string, string> {
  const name = block(user, 'journey')[0] ?? '';
  const keyword = block(user, 'keywords')[0] ?? name.toLowerCase();
  const related = block(user, 'related')[0];
  const stage = user.includes('in the middle of it right now') ? 'ongoing' : 'ended';
  const language = locale.toLowerCase().split(/[-_]/)[0];
  const phrases: CopyPhrases = COPY_PHRASES[language] ?? COPY_PHRASES.en;
  const fill = (template: string) =>
    template
      .replaceAll('{name}', name)
      .replaceAll('{keyword}', keyword)
      .replaceAll('{related}', related ?? '');
  const out: Record<string, string> = {};
  for (const [part, max] of Object.entries(limits)) {
    const all = phrases[stage][part as keyof CopyPhrases['ongoing']] ?? [];
    // Without related journeys, the phrases that would name one are left out.
    const options = related === undefined ? all.filter((p) => !p.includes('{related}')) : all;
    if (options.length === 0) continue;
    // The hashed choice first, then the shorter ones, so a tight limit still gets a whole sentence.
    const first = pick(`${name}|${part}|${locale}`, options.length);
    const ordered = [options[first], ...[...options].sort((a, b) => a.length - b.length)].map(fill);
    out[part] = ordered.find((text) => text.length <= max) ?? cutToWords(ordered[1] ?? ordered[0], max);
  }
  return out;
}

function cutToWords(text: string, max: number): string {
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/u, '');
}
