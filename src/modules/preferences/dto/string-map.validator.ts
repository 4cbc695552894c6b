import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

export const MAX_CUSTOM_KEYS = 50;
export const MAX_CUSTOM_KEY_LENGTH = 64;
export const MAX_CUSTOM_VALUE_LENGTH = 500;

/** Why `value` is not a small string-to-string map, or null when it is one. */
export function stringMapProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of string values';
  const entries = Object.entries(value);
  if (entries.length > MAX_CUSTOM_KEYS) return `must have at most ${MAX_CUSTOM_KEYS} keys`;
  for (const [k, v] of entries) {
    if (k.length < 1 || k.length > MAX_CUSTOM_KEY_LENGTH) return `keys must be 1 to ${MAX_CUSTOM_KEY_LENGTH} characters`;
    if (typeof v !== 'string') return `value of "${k.slice(0, MAX_CUSTOM_KEY_LENGTH)}" must be a string`;
    if (v.length > MAX_CUSTOM_VALUE_LENGTH) return `value of "${k}" must be at most ${MAX_CUSTOM_VALUE_LENGTH} characters`;
  }
  return null;
}

/** A flat object of string values with bounded key count, key length and value length. */
export function IsStringMap(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isStringMap',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => stringMapProblem(value) === null,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${stringMapProblem(args.value)}`,
      },
    });
}
