import { ErrorCode, ServerError, badValue } from '../errors';
import { isPlainObject } from './bson-values';
import { StringCompare } from './compare';
import { Doc } from './documents';
import { StringKey } from './key-encoding';

/** A parsed, non-simple collation: ICU order for comparisons and a key for equality in indexes. */
export interface Collation {
  /** The full specification, as MongoDB reports it (listIndexes). */
  spec: Doc;
  compare: StringCompare;
  key: StringKey;
}

const FIELDS = new Set([
  'locale',
  'strength',
  'caseLevel',
  'caseFirst',
  'numericOrdering',
  'alternate',
  'maxVariable',
  'backwards',
  'normalization',
  'version',
]);

function choice(raw: Doc, field: string, allowed: string[], fallback: string): string {
  const value = raw[field] ?? fallback;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw badValue(`Field '${field}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value;
}

function flag(raw: Doc, field: string): boolean {
  const value = raw[field] ?? false;
  if (typeof value !== 'boolean') {
    throw new ServerError(ErrorCode.TypeMismatch, `BSON field 'collation.${field}' must be a boolean`);
  }
  return value;
}

/** The ICU locale id (`en_US`, `de@collation=phonebook`) as a BCP 47 tag Intl understands. */
function languageTag(locale: string): string | null {
  const [base, keyword] = locale.split('@');
  const tag = base.replace(/_/g, '-');
  const extension = keyword?.startsWith('collation=') ? `-u-co-${keyword.slice('collation='.length)}` : '';
  try {
    return Intl.Collator.supportedLocalesOf([tag + extension]).length > 0 ? tag + extension : null;
  } catch {
    return null;
  }
}

/** Parses a `collation` argument; null means the simple (binary) collation. */
export function parseCollation(raw: unknown): Collation | null {
  if (raw === undefined || raw === null) return null;
  if (!isPlainObject(raw)) throw new ServerError(ErrorCode.TypeMismatch, "BSON field 'collation' must be an object");
  for (const field of Object.keys(raw)) {
    if (!FIELDS.has(field)) {
      throw new ServerError(ErrorCode.UnknownCollationField, `BSON field 'collation.${field}' is an unknown field.`);
    }
  }
  if (typeof raw.locale !== 'string') {
    throw new ServerError(
      ErrorCode.MissingCollationLocale,
      "BSON field 'collation.locale' is missing but a required field",
    );
  }
  if (raw.locale === 'simple') return null;
  const tag = languageTag(raw.locale);
  if (!tag) throw badValue(`Field 'locale' is invalid in: { locale: "${raw.locale}" }`);
  const strength = Number(raw.strength ?? 3);
  if (!Number.isInteger(strength) || strength < 1 || strength > 5) {
    throw badValue("Field 'strength' must be an integer 1 through 5");
  }
  const caseLevel = flag(raw, 'caseLevel');
  const caseFirst = choice(raw, 'caseFirst', ['upper', 'lower', 'off'], 'off');
  const numericOrdering = flag(raw, 'numericOrdering');
  const alternate = choice(raw, 'alternate', ['non-ignorable', 'shifted'], 'non-ignorable');
  const maxVariable = choice(raw, 'maxVariable', ['punct', 'space'], 'punct');
  const spec: Doc = {
    locale: raw.locale,
    caseLevel,
    caseFirst,
    strength,
    numericOrdering,
    alternate,
    maxVariable,
    normalization: flag(raw, 'normalization'),
    backwards: flag(raw, 'backwards'),
    version: '57.1',
  };
  const sensitivity = strength === 1 ? (caseLevel ? 'case' : 'base') : strength === 2 ? 'accent' : 'variant';
  const collator = new Intl.Collator(tag, {
    usage: 'sort',
    sensitivity,
    numeric: numericOrdering,
    caseFirst: caseFirst === 'off' ? 'false' : (caseFirst as 'upper' | 'lower'),
    ignorePunctuation: alternate === 'shifted',
  });
  const ignorable = maxVariable === 'space' ? /\s/gu : /[\s\p{P}\p{S}]/gu;
  const key: StringKey = (value) => {
    // Equal under the collator gives equal keys for the letters ICU folds at this strength.
    let s = value.normalize('NFD');
    if (alternate === 'shifted') s = s.replace(ignorable, '');
    if (strength === 1) s = s.replace(/\p{M}/gu, '');
    if (strength <= 2 && !(strength === 1 && caseLevel)) s = s.toLocaleLowerCase(tag);
    return s;
  };
  return { spec, compare: (a, b) => collator.compare(a, b), key };
}
