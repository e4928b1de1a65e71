import { ValidationError } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { FieldError } from '../../lib/validation/field-error';
import { FreeFormRules, freeFormErrors } from '../../lib/validation/free-form';

export const FREE_FORM = 'isFreeForm';

/** A copy whose absent names never resolve to Object.prototype members (`constructor`, `toString`). */
function nullPrototypeCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.assign(Object.create(null) as object, value);
}

/**
 * A free-form object property of a DTO (user `attributes`): taken from the raw body, not through
 * class-transformer (which drops names such as `toString`), and checked with the shared free-form
 * rules. A failure is reported field by field (`attributes.score`) by flattenValidationErrors.
 */
export function FreeForm(rules: FreeFormRules): PropertyDecorator {
  const transform = Transform(({ obj, key }) => nullPrototypeCopy((obj as Record<string, unknown>)[key]));
  const validate = ValidateBy(
    {
      name: FREE_FORM,
      validator: {
        validate: (value) => freeFormErrors(value, '', rules).length === 0,
        defaultMessage: (args) => freeFormErrors(args?.value, args?.property ?? '', rules)[0]?.message ?? 'invalid',
      },
    },
    { context: rules },
  );
  return (target, propertyKey) => {
    transform(target, propertyKey as string);
    validate(target, propertyKey as string);
  };
}

/** The field-by-field errors behind a failed @FreeForm constraint. */
export function expandFreeFormError(error: ValidationError, field: string): FieldError[] {
  return freeFormErrors(error.value, field, error.contexts?.[FREE_FORM] as FreeFormRules);
}
