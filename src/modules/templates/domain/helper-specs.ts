import { DATE_STYLES, RELATIVE_STYLES } from './dates';
import { NUMBER_STYLES, PLURAL_FORMS } from './numbers';

/**
 * The helpers templates may call, with the arguments each accepts. The checker reports calls that do
 * not fit (unknown helper, wrong number of arguments, unknown option or style) with file and line;
 * the engine registers exactly these names.
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
}

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
  number: { params: [1, 1], hash: ['style', 'currency', 'maximumFractionDigits'], styles: NUMBER_STYLES },
  plural: { params: [1, 1], hash: PLURAL_FORMS, required: ['other'] },
  truncate: { params: [2, 2] },
  join: { params: [1, 1], hash: ['type', 'key', 'limit'] },
  default: { params: [2, 2] },
  track: { params: [1, 1] },
  unsubscribeUrl: { params: [0, 1] },
};

/** Helper names whose calls the engine treats as helpers, never as variables. */
export const HELPER_NAMES: ReadonlySet<string> = new Set(Object.keys(HELPER_SPECS));
