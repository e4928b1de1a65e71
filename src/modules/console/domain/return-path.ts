/** Where sign-in may send a person back to: only a console path of this site, never another origin. */
export function safeReturnPath(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > 512) return '/console';
  // `//evil.example` and `/\evil.example` are other origins to a browser; control characters can split headers,
  // and a Location header carries ASCII only (browsers send a path's other characters percent-encoded).
  const printable = [...raw].every((c) => c.charCodeAt(0) > 0x20 && c.charCodeAt(0) < 0x7f && c !== '\\');
  if (!/^\/console(?:[/?#]|$)/.test(raw) || !printable || raw.includes('//')) return '/console';
  if (raw.startsWith('/console/sign-')) return '/console';
  return raw;
}
