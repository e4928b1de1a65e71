import { ValidationPipe } from '@nestjs/common';
import { FieldValidationException, flattenValidationErrors } from './field-errors';

/** The global pipe: unknown fields are rejected by name, and every error names its field path. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new FieldValidationException(flattenValidationErrors(errors)),
  });
}
