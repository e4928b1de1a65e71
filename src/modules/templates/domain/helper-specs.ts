import { DATE_STYLES, RELATIVE_STYLES } from './dates';
import { linkProblem } from './links';
import { LIST_TYPES } from './lists';
import { currencyProblem, NUMBER_STYLES, PLURAL_FORMS } from './numbers';

/**
 * The helpers templates may call, with the arguments each accepts. The checker reports calls that do
 * not fit (unknown helper, wrong number of arguments, unknown option or style, a literal argument that
 * cannot work) with file and line; the engine registers exactly these names.
 */
export interface HelperSpec {
  /** Least and most positional arguments. */
  params: [min: number, max: number];
  /** Allowed `key=value` options; `required` ones must be present. */
  hash?: readonly string[];
  required?: readonly string[];
  /** Allowed values of a string literal given as `style`, positionally (second argument) or as an option. */
  styles?: readonly string[];
  /** Block helpers (`{{#each}}`) that take a block; the others are only used as `{{helper}}`. */
  block?: boolean;
  /** Checks of literal arguments, by position or option name: why the value cannot work, or undefined. */
  literals?: ReadonlyArray<{ at: number | string; problem: (value: unknown) => string | undefined }>;
  /** Options a literal style needs (`style="currency"` needs `currency`). */
  styleNeeds?: Readonly<Record<string, string>>;
}

const shown = (value: unknown) => JSON.stringify(value);

/** A limit: a whole number of at least 1 (written as a number, or also as a numeric string where the helper reads one). */
const positiveInteger =
  (name: string, numericStrings = false) =>
  (value: unknown) => {
    const n = numericStrings && typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return Number.isInteger(n) && (n as number) >= 1
      ? undefined
      : `${name} must be a whole number of at least 1, got ${shown(value)}`;
  };

const oneOf = (name: string, allowed: readonly string[]) => (value: unknown) =>
  typeof value === 'string' && allowed.includes(value)
    ? undefined
    : `${name} must be one of ${allowed.join(', ')}, got ${shown(value)}`;

export const HELPER_SPECS: Readonly<Record<string, HelperSpec>> = {
  // Built into Handlebars.
  if: { params: [1, 1], hash: ['includeZero'], block: true },
  unless: { params: [1, 1], hash: ['includeZero'], block: true },
  each: { params: [1, 1], block: true },
  with: { params: [1, 1], block: true },
  lookup: { params: [2, 2] },
  // Journeycast's own, pure functions in this folder.
  date: { params: [1, 2], hash: ['style'], styles: Object.keys(DATE_STYLES) },
  relativeTime: { params: [1, 2], hash: ['style'], styles: RELATIVE_STYLES },
  number: {
    params: [1, 1],
    hash: ['style', 'currency', 'maximumFractionDigits'],
    styles: NUMBER_STYLES,
    styleNeeds: { currency: 'currency' },
    literals: [
      { at: 'currency', problem: (value) => currencyProblem(value) },
      {
        at: 'maximumFractionDigits',
        problem: (value) =>
          Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 100
            ? undefined
            : `maximumFractionDigits must be a whole number from 0 to 100, got ${shown(value)}`,
      },
    ],
  },
  plural: { params: [1, 1], hash: PLURAL_FORMS, required: ['other'] },
  truncate: { params: [2, 2], literals: [{ at: 1, problem: positiveInteger('the limit', true) }] },
  join: {
    params: [1, 1],
    hash: ['type', 'key', 'limit'],
    literals: [
      { at: 'limit', problem: positiveInteger('limit') },
      { at: 'type', problem: oneOf('type', LIST_TYPES) },
    ],
  },
  default: { params: [2, 2] },
  track: {
    params: [1, 1],
    literals: [{ at: 0, problem: (url) => (typeof url === 'string' ? linkProblem(url) : 'needs a URL string') }],
  },
  unsubscribeUrl: { params: [0, 1] },
};

/** Helper names whose calls the engine treats as helpers, never as variables. */
export const HELPER_NAMES: ReadonlySet<string> = new Set(Object.keys(HELPER_SPECS));
