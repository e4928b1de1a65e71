/** A value parser for one configuration variable; throws a ConfigError naming the variable. */
export type Parser<T> = (raw: unknown, variable: string) => T;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function fail(variable: string, expected: string, raw: unknown): never {
  throw new ConfigError(`Invalid configuration: ${variable} must be ${expected} (got ${JSON.stringify(raw)})`);
}

function missing(variable: string): never {
  throw new ConfigError(`Invalid configuration: ${variable} is required`);
}

const isUnset = (raw: unknown) => raw === undefined || raw === null || raw === '';

export function text(): Parser<string> {
  return (raw, variable) => {
    if (isUnset(raw)) missing(variable);
    if (typeof raw !== 'string') fail(variable, 'a string', raw);
    return raw;
  };
}

export function integer(min: number, max: number): Parser<number> {
  return (raw, variable) => {
    if (isUnset(raw)) missing(variable);
    const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      fail(variable, `an integer between ${min} and ${max}`, raw);
    }
    return value;
  };
}

export function decimal(min: number, max: number): Parser<number> {
  return (raw, variable) => {
    if (isUnset(raw)) missing(variable);
    const value = typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      fail(variable, `a number between ${min} and ${max}`, raw);
    }
    return value;
  };
}

/** A five- or six-field cron pattern; Bull validates the fields themselves when a schedule is registered. */
export function cron(): Parser<string> {
  return (raw, variable) => {
    const value = text()(raw, variable).trim();
    const fields = value.split(/\s+/).length;
    if (fields < 5 || fields > 6) fail(variable, 'a cron pattern', raw);
    return value;
  };
}

export function boolean(): Parser<boolean> {
  return (raw, variable) => {
    if (isUnset(raw)) missing(variable);
    if (raw === true || raw === 'true' || raw === '1') return true;
    if (raw === false || raw === 'false' || raw === '0') return false;
    return fail(variable, 'true or false', raw);
  };
}

export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (raw, variable) => {
    if (isUnset(raw)) missing(variable);
    if (typeof raw !== 'string' || !(values as readonly string[]).includes(raw)) {
      fail(variable, `one of ${values.join(', ')}`, raw);
    }
    return raw as T;
  };
}

/** A URL whose scheme is one of `protocols` (e.g. `mongodb:`). */
export function url(protocols: readonly string[]): Parser<string> {
  return (raw, variable) => {
    const value = text()(raw, variable);
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      return fail(variable, `a URL starting with ${protocols.join(' or ')}//`, '<invalid URL>');
    }
    // The raw value may carry a password; never echo it back.
    if (!protocols.includes(parsed.protocol)) {
      fail(variable, `a URL starting with ${protocols.join(' or ')}//`, parsed.protocol);
    }
    return value;
  };
}

/** Unset (missing or empty) becomes `undefined` instead of an error. */
export function optional<T>(parser: Parser<T>): Parser<T | undefined> {
  return (raw, variable) => (isUnset(raw) ? undefined : parser(raw, variable));
}
