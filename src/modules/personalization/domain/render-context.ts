import { INLINE_TAGS } from '../../../lib/prompt/output-guard';
import { escapeHtml } from '../../templates/domain/links';
import type { ContextShape } from '../../templates/template.types';
import { GeneratedCopy } from './copy-types';

/** The copy variants a campaign (or an experiment arm) chooses between. */
export type CopyVariantName = 'interest' | 'journey-template' | 'journey-llm';

/**
 * One thing a message is about: a journey (journey variants) or an interest keyword (the `interest`
 * baseline). Templates read the same fields either way, so one template serves every variant.
 */
export interface ContextSubject {
  kind: 'journey' | 'interest';
  /** Journey id, or the interest keyword's key. */
  id: string;
  name: string;
  keywords: string[];
  /** `ongoing` | `ended` for journeys; empty for interests. */
  stage: string;
  /** `situational` | `evergreen` for journeys; empty for interests. */
  type: string;
  /** In [0, 1]; an interest's share of the user's events. */
  confidence: number;
  rank: number;
  /** ISO-8601; empty when unknown. */
  lastSeen: string;
  /** Related journeys (empty unless the campaign allows them). */
  related: string[];
}

/** Everything a campaign template can use. Build it with `buildRenderContext`; check templates against `RENDER_CONTEXT_SHAPE`. */
export interface RenderContext {
  user: { id: string; locale: string; timeZone: string; attributes: Record<string, string | number | boolean | null> };
  campaign: { id: string; name: string; category: string };
  variant: { id: string; copy: CopyVariantName };
  /** The top subject (`subjects[0]`). */
  subject: ContextSubject;
  /** Up to the campaign's top-K subjects, best first. */
  subjects: ContextSubject[];
  /**
   * LLM-written lines when `source` is `llm`; empty strings otherwise, so templates use their own copy.
   * Every line is plain text; `introHtml` is the intro as HTML, escaped but for the emphasis the campaign
   * allows (`{{{copy.introHtml}}}` in an email's HTML).
   */
  copy: Required<GeneratedCopy> & { introHtml: string; source: 'llm' | 'template' };
  /** Send (or preview) time, ISO-8601. */
  now: string;
}

const SUBJECT_SHAPE: ContextShape = {
  kind: 'value',
  id: 'value',
  name: 'value',
  keywords: ['value'],
  stage: 'value',
  type: 'value',
  confidence: 'value',
  rank: 'value',
  lastSeen: 'value',
  related: ['value'],
};

/** The variables `RenderContext` provides, for checking every template variable when a campaign is validated. */
export const RENDER_CONTEXT_SHAPE: ContextShape = {
  user: { id: 'value', locale: 'value', timeZone: 'value', attributes: '*' },
  campaign: { id: 'value', name: 'value', category: 'value' },
  variant: { id: 'value', copy: 'value' },
  subject: SUBJECT_SHAPE,
  subjects: [SUBJECT_SHAPE],
  copy: {
    source: 'value',
    title: 'value',
    body: 'value',
    subject: 'value',
    preheader: 'value',
    intro: 'value',
    introHtml: 'value',
  },
  now: 'value',
};

const NO_COPY = { title: '', body: '', subject: '', preheader: '', intro: '', introHtml: '' };

/** The intro as HTML: its text escaped, the inline emphasis validation admitted kept as tags. */
function introAsHtml(intro: string): string {
  let html = '';
  let last = 0;
  for (const tag of intro.matchAll(INLINE_TAGS)) {
    const [, slash, name] = /^<(\/?)([a-z]+)/i.exec(tag[0])!;
    const element = name.toLowerCase();
    html += escapeHtml(intro.slice(last, tag.index)) + (element === 'br' ? '<br>' : `<${slash}${element}>`);
    last = tag.index + tag[0].length;
  }
  return html + escapeHtml(intro.slice(last));
}

/** The intro as text: emphasis dropped, a line break read as a space. */
function introAsText(intro: string): string {
  return intro
    .replace(INLINE_TAGS, (tag) => (/^<br/i.test(tag) ? ' ' : ''))
    .replace(/\s+/g, ' ')
    .trim();
}

function llmCopy(copy: GeneratedCopy): RenderContext['copy'] {
  const intro = copy.intro ?? '';
  return { ...NO_COPY, ...copy, intro: introAsText(intro), introHtml: introAsHtml(intro), source: 'llm' };
}

/** Assembles the render context from plain facts; copy parts the LLM did not write are empty strings. */
export function buildRenderContext(input: {
  user: RenderContext['user'];
  campaign: RenderContext['campaign'];
  variant: RenderContext['variant'];
  subjects: ContextSubject[];
  copy?: GeneratedCopy;
  now: Date;
}): RenderContext {
  if (input.subjects.length === 0) throw new Error('a message needs at least one subject');
  return {
    user: input.user,
    campaign: input.campaign,
    variant: input.variant,
    subject: input.subjects[0],
    subjects: input.subjects,
    copy: input.copy ? llmCopy(input.copy) : { ...NO_COPY, source: 'template' },
    now: input.now.toISOString(),
  };
}
