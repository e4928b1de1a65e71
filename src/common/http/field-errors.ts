import { BadRequestException, ConflictException, ValidationError } from '@nestjs/common';
import { FieldError, childPath } from '../../lib/validation/field-error';
import { FREE_FORM, expandFreeFormError } from './free-form.decorator';

/** One invalid input field, named by its path in the request (`events[3].item.title`). */
export type FieldErrorBody = FieldError;

/** At most this many errors are listed in a 400; `errorCount` counts them all. */
export const MAX_LISTED_ERRORS = 100;
const FIELDS_IN_MESSAGE = 5;

function fieldsNamed(errors: readonly FieldErrorBody[]): string {
  const named = errors.slice(0, FIELDS_IN_MESSAGE).map((e) => e.field || 'body');
  const more = errors.length > FIELDS_IN_MESSAGE ? ` and ${errors.length - FIELDS_IN_MESSAGE} more` : '';
  return `${named.join(', ')}${more}`;
}

/** The one 400 shape of the API: a summary, the first bad fields and how many there are in all. */
export class FieldValidationException extends BadRequestException {
  constructor(errors: FieldErrorBody[]) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      message: `Invalid request: ${fieldsNamed(errors)}`,
      errors: errors.slice(0, MAX_LISTED_ERRORS),
      errorCount: errors.length,
    });
  }
}

/** The 409 of an id (an idempotency key) sent again with other content, in the shape of the 400: nothing was stored. */
export class FieldConflictException extends ConflictException {
  constructor(errors: FieldErrorBody[]) {
    super({
      statusCode: 409,
      error: 'Conflict',
      message: `Already used with other content: ${fieldsNamed(errors)}`,
      errors: errors.slice(0, MAX_LISTED_ERRORS),
      errorCount: errors.length,
    });
  }
}

/** Constraints that say a value has the wrong type; when one fails, the others would only mislead. */
const TYPE_CONSTRAINTS = new Set(['isString', 'isBoolean', 'isInt', 'isNumber', 'isArray', 'isObject']);

function constraintErrors(error: ValidationError, field: string): FieldErrorBody[] {
  const constraints = Object.entries(error.constraints ?? {});
  if (constraints.some(([name]) => name === FREE_FORM)) return expandFreeFormError(error, field);
  const typeErrors = constraints.filter(([name]) => TYPE_CONSTRAINTS.has(name));
  return (typeErrors.length > 0 ? typeErrors : constraints).map(([, message]) => ({ field, message }));
}

/** Flattens class-validator's error tree into field paths, the type error first and alone. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldErrorBody[] {
  return errors.flatMap((error) => {
    const field = childPath(parent, /^\d+$/.test(error.property) ? Number(error.property) : error.property);
    return [...constraintErrors(error, field), ...flattenValidationErrors(error.children ?? [], field)];
  });
}
