import { completionTokensFor } from '../../../lib/prompt/completion-tokens';
import { dataOnlyInstruction, delimitUserText } from '../../../lib/prompt/delimit';
import { INLINE_TAGS_TEXT } from '../../../lib/prompt/output-guard';
import { signatureKeywords } from './copy-key';
import { COPY_PARTS, CopyRequest, HTML_PART, limitOf } from './copy-types';

/** Prompt versions a campaign may pin; bump when the prompt or its validation changes (old cache entries stay apart). */
export const COPY_PROMPT_VERSIONS = ['copy-v5'] as const;
export const CURRENT_COPY_PROMPT_VERSION = 'copy-v5';

export interface CopyPrompt {
  system: string;
  user: string;
  schema: { name: string; schema: Record<string, unknown> };
  /** Upper bound of completion tokens, from the channel's length limits. */
  maxTokens: number;
}

const PARTS_TEXT = {
  push: 'a push notification: "title" and "body"',
  email: 'an email: "subject", "preheader" (the preview line) and "intro" (one short paragraph)',
};

/**
 * The copy prompt: instructions and limits in the system message; the journey's name, top keywords and
 * related journeys (user text) only inside delimited blocks in the user message. Only what the copy
 * signature covers reaches it, since every user with the signature gets the copy it writes.
 */
export function buildCopyPrompt(request: CopyRequest): CopyPrompt {
  const parts = COPY_PARTS[request.channel];
  const limits = parts.map((p) => `"${p}" at most ${limitOf(p, request.limits)} characters`).join(', ');
  const stage =
    request.subject.stage === 'ongoing'
      ? 'The person is in the middle of it right now.'
      : 'The person worked on it a while ago and may come back to it.';
  const htmlAllowed = request.allowHtml && parts.includes(HTML_PART);
  // What the output check refuses, the prompt rules out; what the campaign admits, it does not.
  const noUrls = request.allowUrls ? '' : 'no URLs, ';
  const system = [
    `You write ${PARTS_TEXT[request.channel]} for a person, about something they are working towards.`,
    `Write in the language of locale ${JSON.stringify(request.locale)}, in a ${JSON.stringify(request.tone)} tone.`,
    `Limits: ${limits}.`,
    'Talk only about the journey and its related ideas. Do not promise discounts, prices, sales, free items,',
    // Where the template shows copy as HTML (an email's intro), the emphasis the output check lets through may be used.
    `results or product features; do not invent facts, numbers or brands; ${noUrls}no HTML${htmlAllowed ? ` but ${INLINE_TAGS_TEXT} for emphasis in "${HTML_PART}"` : ''}, no Markdown, no emoji spam.`,
    'Answer with JSON only.',
    dataOnlyInstruction('journey'),
    dataOnlyInstruction('keywords'),
    dataOnlyInstruction('related'),
  ].join(' ');
  const user = [
    `Journey (${request.subject.type}). ${stage}`,
    delimitUserText('journey', [request.subject.name]),
    'Its keywords, most important first:',
    delimitUserText('keywords', signatureKeywords(request.subject)),
    'Related journeys the person may also like:',
    delimitUserText('related', request.subject.related.slice(0, 5)),
  ].join('\n');
  const properties = Object.fromEntries(
    parts.map((p) => [p, { type: 'string', maxLength: limitOf(p, request.limits) }]),
  );
  const chars = parts.reduce((sum, p) => sum + limitOf(p, request.limits), 0);
  return {
    system,
    user,
    schema: {
      name: `${request.channel}_copy`,
      schema: { type: 'object', properties, required: [...parts], additionalProperties: false },
    },
    maxTokens: completionTokensFor(chars, 40),
  };
}
