/** Who a message is formatted for: the locale and time zone of the recipient, and the render's instant. */
export interface FormatContext {
  locale: string;
  timeZone: string;
  now: Date;
}

/**
 * Intl formatters are costly to build (tens of microseconds) and cheap to call: each is built once
 * per locale, time zone and options, and reused by every render.
 */
const formatters = new Map<string, unknown>();
const MAX_FORMATTERS = 5_000;

/** The cached result of `build()` under `key`. */
export function cachedFormatter<T>(key: string, build: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (formatter === undefined) {
    formatter = build();
    // Keys come from recipients' locales and zones; a bound keeps a flood of odd values from growing memory.
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    cachedFormatter(`tz|${timeZone}`, () => new Intl.DateTimeFormat('en', { timeZone }));
    return true;
  } catch {
    return false;
  }
}
