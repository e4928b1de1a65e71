import { ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';

/**
 * Like @IsOptional(), except that only an absent field skips the other rules: `null` is checked like any
 * other value, so `"expiresIn": null` is a 400 naming the field rather than a null that reaches the code.
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** A string with something besides white space in it. */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBlank',
      validator: {
        validate: (value) => typeof value === 'string' && value.trim() !== '',
        defaultMessage: (args) => `${args?.property} must not be blank`,
      },
    },
    options,
  );
}
