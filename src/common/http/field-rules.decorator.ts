import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import {
  EARLIEST_INSTANT,
  ISO_INSTANT_WITH_ZONE,
  isWithinProductTime,
  parseIsoInstant,
} from '../../lib/time/iso-instant';
import { userIdProblem } from '../../lib/validation/field-checks';

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

/**
 * A user id by the rule events and conversions follow (userIdProblem), its problem named in the message;
 * `stored`: one to find what is stored under it.
 */
export function IsUserId(opts: { stored?: boolean } = {}): PropertyDecorator {
  return ValidateBy({
    name: 'isUserId',
    validator: {
      validate: (value) => userIdProblem(value, opts) === undefined,
      defaultMessage: (args) => `${args?.property} ${userIdProblem(args?.value, opts)}`,
    },
  });
}

/**
 * An ISO-8601 instant with a time zone, read by the parser event times use, and turned into a Date.
 * Week dates, ordinal dates, bare years and local times (which `new Date()` reads in the server's zone)
 * are refused, so the property is a valid Date once validation passed.
 */
export function IsInstant(): PropertyDecorator {
  const transform = Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (parseIsoInstant(value) ?? value) : value,
  );
  const validate = ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value) => value instanceof Date && isWithinProductTime(value),
      defaultMessage: (args) =>
        args?.value instanceof Date
          ? `${args.property} must be on or after ${EARLIEST_INSTANT}`
          : `${args?.property} must be ${ISO_INSTANT_WITH_ZONE}`,
    },
  });
  return (target, propertyKey) => {
    transform(target, propertyKey as string);
    validate(target, propertyKey as string);
  };
}

/** Refuses the property when `other` is given too: the two are alternatives. */
export function IsNotWith(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'isNotWith',
    constraints: [other],
    validator: {
      validate: (_value, args) => (args?.object as Record<string, unknown>)[other] === undefined,
      defaultMessage: (args) => `give ${other} or ${args?.property}, not both`,
    },
  });
}
