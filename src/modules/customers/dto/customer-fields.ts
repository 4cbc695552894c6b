import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';

export const MAX_ATTRIBUTES_BYTES = 16 * 1024;

/** A plain JSON object whose serialised size stays under `maxBytes`. */
export function IsJsonObjectWithin(maxBytes: number, options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isJsonObjectWithin',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          return Buffer.byteLength(JSON.stringify(value), 'utf8') <= maxBytes;
        },
        defaultMessage(args: ValidationArguments): string {
          return `${args.property} must be a JSON object of at most ${maxBytes} bytes`;
        },
      },
    });
  };
}

export const trimLower = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);
export const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
export const normaliseTags = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? [...new Set((value as unknown[]).map((t) => (typeof t === 'string' ? t.trim().toLowerCase() : t)))] : value;
