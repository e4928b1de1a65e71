import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FieldValidationException } from './field-errors';

/**
 * One query parameter as text, or undefined when it is absent. Repeated (`?lang=fr&lang=en`), the
 * parameter arrives as an array, which code written for a string would crash on or read as "fr,en":
 * it is a 400 naming the parameter instead. Read from the request itself, before any pipe can join
 * the values into one string.
 */
export const QueryText = createParamDecorator((name: string, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<{ query: Record<string, unknown> }>().query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new FieldValidationException([{ field: name, message: `${name} must be given once` }]);
});
