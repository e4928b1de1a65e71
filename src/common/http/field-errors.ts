import { BadRequestException, ValidationError } from '@nestjs/common';

/** One invalid input field, named by its path in the request (`events[3].item.title`). */
export interface FieldErrorBody {
  field: string;
  message: string;
}

/** The one 400 shape of the API: a summary plus every bad field. */
export class FieldValidationException extends BadRequestException {
  constructor(errors: FieldErrorBody[]) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      message: `Invalid request: ${errors.map((e) => e.field || 'body').join(', ')}`,
      errors,
    });
  }
}

function join(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** Flattens class-validator's error tree into field paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldErrorBody[] {
  return errors.flatMap((error) => {
    const field = join(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}
