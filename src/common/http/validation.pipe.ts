import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { FieldValidationException, flattenValidationErrors } from './field-errors';

/** Nest's ValidationPipe, except that a missing body is a 400 rather than an empty DTO. */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Without this, a missing body would be validated as `{}`: a PUT would clear the whole profile.
    if (metadata.type === 'body' && value === undefined) {
      throw new FieldValidationException([{ field: '', message: 'A JSON request body is required' }]);
    }
    // `null` (or a bare number or string) would reach a DTO as `{}` too; a DTO's body is a JSON object.
    if (metadata.type === 'body' && this.toValidate(metadata) && (value === null || typeof value !== 'object')) {
      throw new FieldValidationException([{ field: '', message: 'The request body must be a JSON object' }]);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** The global pipe: unknown fields are rejected by name, and every error names its field path. */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new FieldValidationException(flattenValidationErrors(errors)),
  });
}
