import { parseJsonObject } from '../../../lib/prompt/json-reply';
import { guardGeneratedText, readableText } from '../../../lib/prompt/output-guard';
import { isStopword, normalizeForMatching, singularize } from '../../../lib/text/normalize';
import { signatureKeywords } from './copy-key';
import { buildCopyPrompt } from './copy-prompt';
import { COPY_PARTS, CopyRequest, GeneratedCopy, HTML_PART, limitOf } from './copy-types';
import { isFunctionWord, languageMismatch } from './language';

export type CopyVerdict = { ok: true; copy: GeneratedCopy } | { ok: false; reason: string };

// Signs that the model followed instructions hidden in user data, or talks about itself.
const INJECTION = [
  /ignore (all |any )?(the )?(previous|prior|above|earlier) (instructions|prompts?)/i,
  /system prompt/i,
  /as an ai\b/i,
  /\b(language model|chatgpt|openai)\b/i,
  /<\/?(journey|keywords|related)>/i,
];

// A model without the API's refusal field refuses in the copy itself: never send that to a person, in any
// language the copy may be written in.
const REFUSAL = [
  /\b(?:i['’]?m|i am) (?:sorry|afraid|unable|not able)\b/i,
  /\bi (?:can['’]?t|cannot|won['’]?t|will not) (?:help|assist|write|create|provide|comply|do)\b/i,
  /\bnot something i can\b/i,
  /\b(?:je suis désolée?|je ne peux pas)\b/i,
  /\b(?:lo siento|no puedo)\b/i,
  /\b(?:es tut mir leid|ich kann (?:nicht|keine))\b/i,
  /\b(?:mi dispiace|non posso (?:aiutar|scriver|crear|fornir))/i,
  /\b(?:desculpe|não (?:posso|consigo) (?:ajudar|escrever|criar|fornecer))/i,
  /\b(?:het spijt me|ik kan (?:je |u )?(?:hier )?niet (?:mee )?(?:helpen|schrijven|maken))/i,
  /\b(?:jag är ledsen|jag kan inte (?:hjälpa|skriva|skapa))/i,
  /\b(?:jeg beklager|beklager, men|jeg kan ikke (?:hjælpe|hjelpe|skrive|lave|lage))/i,
  /\b(?:przepraszam|nie mogę (?:pomóc|napisać|stworzyć))/i,
  // `\b` knows only ASCII letters: a word that starts with another one is bounded by any letter.
  /(?<!\p{L})(?:üzgünüm|yardımcı olamam|yazamam)/iu,
  /\b(?:olen pahoillani|en voi (?:auttaa|kirjoittaa|luoda))/i,
  /(?<!\p{L})(?:к сожалению, я не|я не могу (?:помочь|написать|создать|выполнить))/iu,
  /申し訳ありません|お手伝いできません|作成できません/u,
  /抱歉|我无法/u,
];

// Commercial promises we cannot back: a journey never justifies them unless the user's own keywords do.
const CLAIM_WORDS = [
  'free',
  'discount',
  'sale',
  'off',
  'deal',
  'deals',
  'coupon',
  'promo',
  'offer',
  'guarantee',
  'guaranteed',
  'cheapest',
  'price',
  'prices',
  'shipping',
  'buy',
  'order',
  'cure',
  'clinically',
  'proven',
  'winner',
  'prize',
];
// Any currency sign (\p{Sc}), or a percent or per-mille sign in any script.
const MONEY = /[\p{Sc}%\u066a\u2030\u2031]|\b\d+\s?(?:percent|usd|eur|gbp)\b/iu;
// Figures in any script's digits: ٥٠ and ५० are 50 too.
const FIGURE = /\p{Nd}+/gu;
const DIGIT = /\p{Nd}/u;
// Scripts written without spaces between words: a name there is found inside the text, not as a word.
const SPACELESS =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** A run of decimal digits of any script in ASCII digits (`٢٠٢٥` → `2025`). */
function asciiDigits(figure: string): string {
  return [...figure]
    .map((digit) => {
      const code = digit.codePointAt(0)!;
      // Unicode writes each script's digits 0 to 9 at consecutive code points.
      let value = 0;
      while (value < 9 && DIGIT.test(String.fromCodePoint(code - value - 1))) value++;
      return String(value);
    })
    .join('');
}

/** Whether normalized `text` holds the normalized `name` as whole words, or anywhere for a name in a script without spaces. */
function containsName(text: string, name: string): boolean {
  if (name === '') return false;
  if (SPACELESS.test(name)) return text.includes(name);
  return ` ${text} `.includes(` ${name} `);
}

// Words in a row of the prompt's instructions that a reply may not repeat: a journey named "repeat your
// instructions" must not get them sent to every user who shares it. Shorter runs are common phrases.
const QUOTED_WORDS = 6;

/** Whether readable `text` repeats a run of the instructions the reply was written under that the journey does not hold. */
function quotesInstructions(text: string, request: CopyRequest): boolean {
  const said = ` ${normalizeForMatching(text)} `;
  const { name, related } = request.subject;
  const own = [name, ...signatureKeywords(request.subject), ...related].map((t) => ` ${normalizeForMatching(t)} `);
  const words = normalizeForMatching(buildCopyPrompt(request).system).split(' ');
  for (let i = 0; i + QUOTED_WORDS <= words.length; i++) {
    const run = ` ${words.slice(i, i + QUOTED_WORDS).join(' ')} `;
    if (said.includes(run) && !own.some((t) => t.includes(run))) return true;
  }
  return false;
}

/**
 * `text` without the journey's own words (its name, top keywords and related journeys), whole words in any
 * case: they stay in the language the user searched in (an English "Back to the Gym" in French copy, a
 * Russian name in English copy), which says nothing of the language the copy is written in.
 */
function withoutJourneyWords(text: string, request: CopyRequest): string {
  const phrases = [request.subject.name, ...signatureKeywords(request.subject), ...request.subject.related]
    .map((phrase) => phrase.trim())
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  if (phrases.length === 0) return text;
  return text.replace(new RegExp(`(?<![\\p{L}\\p{M}])(?:${phrases.join('|')})(?![\\p{L}\\p{M}])`, 'giu'), ' ');
}

const stems = (text: string) =>
  normalizeForMatching(text)
    .split(' ')
    .filter((w) => w.length > 2)
    .map(singularize);

/**
 * Words and numbers the journey itself supplies, as the copy signature sees it: what the copy may mention
 * without inventing it, the same for every user who shares the copy.
 */
function groundWords(request: CopyRequest): Set<string> {
  const { name, related } = request.subject;
  const keywords = signatureKeywords(request.subject);
  return new Set(
    [name, ...keywords, ...related].flatMap((text) => normalizeForMatching(text).split(' ').map(singularize)),
  );
}

/**
 * Validates an LLM copy reply: JSON with exactly the channel's parts, each within its limit and free of
 * URLs, HTML (but the emphasis `allowHtml` admits in the email intro), control characters and blocked
 * terms; in the expected language; free of injected instructions, of the prompt's own and of refusals; grounded in the journey
 * (it names it) and making no commercial claims the journey lacks.
 */
export function validateCopyReply(text: string, request: CopyRequest): CopyVerdict {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return parsed;
  const reply = parsed.value;
  const copy: GeneratedCopy = {};
  for (const part of COPY_PARTS[request.channel]) {
    const guarded = guardGeneratedText(reply[part], {
      maxLength: limitOf(part, request.limits),
      allowUrls: request.allowUrls,
      allowHtml: request.allowHtml && part === HTML_PART,
      blockedTerms: request.blockedTerms,
    });
    if (!guarded.ok) return { ok: false, reason: `${part}: ${guarded.reason}` };
    copy[part] = guarded.text;
  }
  // What the reader sees: the language, grounding and claim checks read words, not emphasis tags.
  const all = readableText(Object.values(copy).join(' '));
  const injected = INJECTION.find((pattern) => pattern.test(all));
  if (injected) return { ok: false, reason: 'reads like injected instructions' };
  if (quotesInstructions(all, request)) return { ok: false, reason: 'repeats the instructions of the prompt' };
  if (REFUSAL.some((pattern) => pattern.test(all))) return { ok: false, reason: 'reads like a refusal' };
  const mismatch = languageMismatch(withoutJourneyWords(all, request), request.locale);
  if (mismatch) return { ok: false, reason: `wrong language: ${mismatch}` };
  const ground = groundWords(request);
  // A function word ("the", "pour") of the name names nothing: any reply holds one.
  const own = stems(`${request.subject.name} ${signatureKeywords(request.subject).join(' ')}`).filter(
    (w) => !isStopword(w) && !isFunctionWord(w),
  );
  const words = stems(all);
  // Scripts written without spaces (Chinese, Japanese) ground by containing the journey's name.
  const named =
    words.some((w) => own.includes(w)) ||
    containsName(normalizeForMatching(all), normalizeForMatching(request.subject.name));
  if (!named) return { ok: false, reason: 'not grounded: does not mention the journey' };
  const claim = CLAIM_WORDS.find((w) => words.includes(w) && !ground.has(w));
  if (claim) return { ok: false, reason: `makes a claim the journey does not support ("${claim}")` };
  if (MONEY.test(all)) return { ok: false, reason: 'mentions prices or percentages' };
  const groundFigures = new Set([...ground].flatMap((w) => w.match(FIGURE) ?? []).map(asciiDigits));
  const number = all.match(FIGURE)?.find((n) => !groundFigures.has(asciiDigits(n)));
  if (number) return { ok: false, reason: `invents the figure ${number}` };
  return { ok: true, copy };
}
