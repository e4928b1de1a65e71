/** Many strings as one string and their lengths: cloned as a single copy instead of string by string. */
export interface PackedStrings {
  text: string;
  lengths: Uint32Array;
}

export function packStrings(list: readonly string[]): PackedStrings {
  return { text: list.join(''), lengths: Uint32Array.from(list, (s) => s.length) };
}

export function unpackStrings(packed: PackedStrings): string[] {
  const out: string[] = new Array(packed.lengths.length);
  let at = 0;
  for (let i = 0; i < out.length; i++) out[i] = packed.text.slice(at, (at += packed.lengths[i]));
  return out;
}
