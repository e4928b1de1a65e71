/** One entry of an Accept or Accept-Language header: its value and its quality (1 when not given). */
export interface QualityValue {
  value: string;
  q: number;
}

/** The entries of an Accept-style header that are wanted at all (q > 0), best first (stable for equal q). */
export function byQuality(header: string | undefined): QualityValue[] {
  return (header ?? '')
    .split(',')
    .map((entry) => {
      const [value, ...params] = entry.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { value: value.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.value && entry.q > 0)
    .sort((a, b) => b.q - a.q);
}
