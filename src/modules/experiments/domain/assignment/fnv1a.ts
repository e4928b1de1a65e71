const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Bound once: this is the hottest loop of assignment, and a global lookup per byte shows in VM sandboxes (jest). */
const imul = Math.imul;

/**
 * 32-bit FNV-1a over the UTF-8 bytes of `text` (lone surrogates encode as U+FFFD, like TextEncoder).
 * GrowthBook's JS SDK hashes UTF-16 code units and its Go SDK UTF-8 bytes; all agree on ASCII. We
 * hash UTF-8 because it is the bytes an id has on the wire and in every other language.
 */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET_BASIS;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      h = imul(h ^ c, FNV_PRIME);
      continue;
    }
    if (c < 0x800) {
      h = imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME);
      h = imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        h = imul(h ^ (0xf0 | (cp >> 18)), FNV_PRIME);
        h = imul(h ^ (0x80 | ((cp >> 12) & 0x3f)), FNV_PRIME);
        h = imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), FNV_PRIME);
        h = imul(h ^ (0x80 | (cp & 0x3f)), FNV_PRIME);
        continue;
      }
      c = 0xfffd;
    }
    h = imul(h ^ (0xe0 | (c >> 12)), FNV_PRIME);
    h = imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
    h = imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
  }
  return h >>> 0;
}
