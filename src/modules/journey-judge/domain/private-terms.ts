import { normalizeText } from '../../../lib/text/normalize';

/** What identifies a user: their id, email and any profile attribute that holds a name. */
export interface UserIdentifiers {
  userId: string;
  email?: string;
  names?: readonly string[];
}

// Four digits or more in one token: phone, order, card or postcode fragments, never a journey.
const DIGIT_RUN = /\p{N}{4,}/u;

/** The lower-case tokens that identify a user; a keyword containing any of them never reaches a prompt. */
export function privateTokens(identifiers: UserIdentifiers): Set<string> {
  const texts = [identifiers.userId, identifiers.email ?? '', ...(identifiers.names ?? [])];
  return new Set(texts.flatMap((text) => normalizeText(text).split(' ')).filter((token) => token.length >= 2));
}

/** Whether a keyword or name mentions an identifier or a long digit run. */
export function mentionsPrivate(text: string, tokens: ReadonlySet<string>): boolean {
  return normalizeText(text)
    .split(' ')
    .some((token) => tokens.has(token) || DIGIT_RUN.test(token));
}

/** The text with identifying tokens replaced, for journey names, which are graded whatever they say. */
export function maskPrivate(text: string, tokens: ReadonlySet<string>): string {
  const words = normalizeText(text).split(' ');
  if (!words.some((token) => tokens.has(token) || DIGIT_RUN.test(token))) return text;
  return words.map((token) => (tokens.has(token) || DIGIT_RUN.test(token) ? '[private]' : token)).join(' ');
}
