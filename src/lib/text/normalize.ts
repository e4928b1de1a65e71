/** Text normalisation shared by keyword extraction and the embedders. */

// Function words, the generic modifiers people add to any search ("ideas", "best", "diy"), and the parts of
// web addresses people type into search boxes ("www", "com"): they say nothing about what the user is
// working towards and would glue unrelated journeys together ("ebay com" and "weather com").
const STOPWORDS = new Set(
  (
    'a an and are as at be but by can do does for from get how i in into is it its my of on or our so than ' +
    'that the their them these this those to too up vs was we what when where which who why will with you your ' +
    'ideas idea inspiration inspo tips tip best cheap easy guide simple diy beginner beginners things worth ' +
    'choose explained love us everyone everything make ways way new near me really very more most ' +
    'http https www com net org html htm php'
  ).split(' '),
);

/** NFKC, lower case, punctuation to spaces, collapsed whitespace; marks stay on their letters. */
export function normalizeText(text: string): string {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/['’]s\b/gu, '')
      // Marks are part of their word (Devanagari vowel signs, Thai vowels and tone marks, Hebrew points).
      .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
      .trim()
  );
}

// Accents on Latin, Greek and Cyrillic letters are optional in what people type ("cafe" for "café");
// in other scripts marks make the word. The Cyrillic breve stays: й and и are different letters.
const FOLDED_BASE = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u;
const MARKED_LETTER = /(\p{L})(\p{M}+)/gu;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const BREVE = '\u0306';
// eslint-disable-next-line no-control-regex -- the test is for anything beyond ASCII
const NON_ASCII = /[^\u0000-\u007f]/;

function foldMarks(letter: string, marks: string): string {
  if (!FOLDED_BASE.test(letter)) return letter + marks;
  return CYRILLIC.test(letter) && marks.includes(BREVE) ? letter + BREVE : letter;
}

/**
 * {@link normalizeText} without the accents of Latin, Greek and Cyrillic letters ("Café" -> "cafe"), for
 * comparing what people write with and without them (blocked terms, copy grounding). Never for text that
 * is shown: keyword surfaces and journey names keep their accents.
 */
export function normalizeForMatching(text: string): string {
  if (!NON_ASCII.test(text)) return normalizeText(text);
  return normalizeText(
    text.normalize('NFKD').replace(MARKED_LETTER, (_, letter: string, marks: string) => foldMarks(letter, marks)),
  );
}

/** Whether a normalised token is a function word or a generic search modifier. */
export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

const isContent = (t: string) => t.length > 1 && !STOPWORDS.has(t) && !/^\p{N}+$/u.test(t);

/** Content tokens of a text: normalised, without stopwords, numbers or one-letter tokens. */
export function contentTokens(text: string): string[] {
  const normalized = normalizeText(text);
  if (normalized.length === 0) return [];
  return normalized.split(' ').filter(isContent);
}

/** A text's normalised words, and which of them are content tokens (their positions, ascending). */
export interface ContentWords {
  words: string[];
  content: number[];
}

/** The normalised words of a text and the positions of its content tokens (the `contentTokens`). */
export function contentWords(text: string): ContentWords {
  const normalized = normalizeText(text);
  const words = normalized.length === 0 ? [] : normalized.split(' ');
  const content: number[] = [];
  words.forEach((t, i) => {
    if (isContent(t)) content.push(i);
  });
  return { words, content };
}

const INVARIANT = /(?:ss|us|is|ous|ics|ness)$/;

/** English singular of a token ("cabinets" -> "cabinet", "dishes" -> "dish", "puppies" -> "puppy"). */
export function singularize(token: string): string {
  if (token.length <= 3 || INVARIANT.test(token)) return token;
  if (token.endsWith('ies') && token.length > 4) return `${token.slice(0, -3)}y`;
  if (/(?:ches|shes|xes|sses|zes)$/.test(token)) return token.slice(0, -2);
  if (token.endsWith('oes') && token.length > 5) return token.slice(0, -2);
  if (token.endsWith('s') && !token.endsWith('ss')) return token.slice(0, -1);
  return token;
}

/** The merge key of a phrase: its tokens singularised, so "Kitchen Cabinets" and "kitchen cabinet" are one keyword. */
export function keywordKey(tokens: readonly string[]): string {
  return tokens.map(singularize).join(' ');
}

// Short function words that stay lower case inside a title ("Garden on a Budget", "Tour of the Lakes").
const MINOR_WORDS = new Set('a an and as at but by for from in into nor of on or per the to vs via with'.split(' '));

/**
 * Title Case for display ("kitchen remodel" -> "Kitchen Remodel", "garden on a budget" -> "Garden on a Budget"): every
 * word capitalised except short function words between the first and the last.
 */
export function titleCase(text: string): string {
  const parts = text.split(/(\s+)/);
  const last = parts.length - 1;
  return parts
    .map((word, i) =>
      i > 0 && i < last && MINOR_WORDS.has(word) ? word : word.replace(/^\p{L}/u, (letter) => letter.toUpperCase()),
    )
    .join('');
}
