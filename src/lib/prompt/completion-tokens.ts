/**
 * The completion token limit of a reply holding at most `chars` characters of text and `overhead` tokens of
 * the JSON around it. A limit only stops a runaway reply, and a reply cut off at it is lost: the model writes
 * what the prompt asks, and the product checks every reply's lengths itself. So it leaves room for any
 * script: a character of Latin text takes about a quarter of a token, of Japanese or Chinese about one, of
 * Thai or Devanagari up to two.
 */
export function completionTokensFor(chars: number, overhead: number): number {
  return Math.ceil(chars * 2) + overhead;
}
