import { cachedFormatter } from './intl';
import { TemplateError } from './templates.errors';

export const NUMBER_STYLES = ['decimal', 'percent', 'compact', 'currency'] as const;
export type NumberStyle = (typeof NUMBER_STYLES)[number];

export interface NumberOptions {
  style?: string;
  currency?: string;
  maximumFractionDigits?: number;
}

function toNumber(value: unknown, field: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new TemplateError('templates.invalid-value', `not a number: ${JSON.stringify(value)?.slice(0, 80)}`, field);
  }
  return number;
}

/** Formats a number in `locale`: `decimal` (default), `percent` (0.25 → 25%), `compact` (12K) or `currency`. */
export function formatNumber(value: unknown, locale: string, options: NumberOptions = {}): string {
  if (value === undefined || value === null || value === '') return '';
  const style = options.style ?? 'decimal';
  if (!(NUMBER_STYLES as readonly string[]).includes(style)) {
    throw new TemplateError('templates.invalid-value', `unknown number style "${style}"`, 'style');
  }
  if (style === 'currency' && !options.currency) {
    throw new TemplateError(
      'templates.invalid-value',
      'number style "currency" needs currency="EUR" (ISO 4217)',
      'currency',
    );
  }
  const key = `number|${locale}|${style}|${options.currency ?? ''}|${options.maximumFractionDigits ?? ''}`;
  const formatter = cachedFormatter(key, () => {
    const intl: Intl.NumberFormatOptions =
      style === 'compact' ? { notation: 'compact' } : { style: style as 'decimal' | 'percent' | 'currency' };
    if (style === 'currency') intl.currency = options.currency;
    if (options.maximumFractionDigits !== undefined) intl.maximumFractionDigits = options.maximumFractionDigits;
    try {
      return new Intl.NumberFormat(locale, intl);
    } catch (error) {
      // A currency code or digit count from the data: this recipient's value, not a crash of the run.
      if (!(error instanceof RangeError)) throw error;
      throw new TemplateError('templates.invalid-value', `number: ${error.message}`, 'number');
    }
  });
  return formatter.format(toNumber(value, 'number'));
}

/** Why `code` cannot be the `currency` of a number (not a well-formed ISO 4217 code), or undefined. */
export function currencyProblem(code: unknown): string | undefined {
  return typeof code === 'string' && /^[A-Za-z]{3}$/.test(code)
    ? undefined
    : `currency must be an ISO 4217 code such as EUR, got ${JSON.stringify(code)}`;
}

/** Plural forms of `{{plural count one="# idea" other="# ideas"}}`; `zero`, when given, wins for exactly 0. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>>;

export const PLURAL_FORMS: readonly string[] = ['zero', 'one', 'two', 'few', 'many', 'other'];

/**
 * The form for `count` by the locale's plural rules (`Intl.PluralRules`), with `#` replaced by the
 * count formatted in the locale. Falls back to `other`, which is therefore required.
 */
export function plural(count: unknown, forms: PluralForms, locale: string): string {
  const n = toNumber(count, 'count');
  if (forms.other === undefined) {
    throw new TemplateError('templates.invalid-value', 'plural needs an other="..." form', 'other');
  }
  const rules = cachedFormatter(`plural|${locale}`, () => new Intl.PluralRules(locale));
  const category = rules.select(n);
  const form = (n === 0 ? formText(forms, 'zero') : undefined) ?? formText(forms, category) ?? formText(forms, 'other');
  if (form === undefined) {
    throw new TemplateError('templates.invalid-value', 'plural needs an other="..." form', 'other');
  }
  return form.replace(/#/g, formatNumber(n, locale));
}

/**
 * A form as text: a hash value is whatever the template passed, a literal or a variable of the render context.
 * A number or boolean is written as it reads; a missing value is no form; anything else is a value this
 * recipient's message cannot be written with.
 */
function formText(forms: PluralForms, name: Intl.LDMLPluralRule): string | undefined {
  const form: unknown = forms[name];
  if (form === undefined || form === null) return undefined;
  if (typeof form === 'string') return form;
  if (typeof form === 'number' || typeof form === 'boolean') return String(form);
  throw new TemplateError('templates.invalid-value', `plural's ${name} form must be text`, name);
}
