import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { FieldValidationException, flattenValidationErrors } from './field-errors';

/** The global pipe: unknown fields are rejected by name, and every error names its field path. */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Without this, a missing body would be validated as `{}`: a PUT would clear the whole profile.
    if (metadata.type === 'body' && value === undefined) {
      throw new FieldValidationException([{ field: '', message: 'A JSON request body is required' }]);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new FieldValidationException(flattenValidationErrors(errors)),
  });
}
