import { registerDecorator, ValidationOptions } from 'class-validator';

// Codes are checked against the runtime's own ICU data (Node ships full ICU), so no list is kept in this repo.

/** The canonical form of a BCP 47 language tag ('en-us' -> 'en-US'), or null when it is not one. */
export function canonicalLanguageTag(tag: string): string | null {
  if (tag.length > 35) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical && canonical.length <= 35 ? canonical : null;
  } catch {
    return null;
  }
}

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;
let zonesByLowerCase: Map<string, string> | undefined;

/**
 * An IANA time zone name in its canonical spelling ('europe/london' -> 'Europe/London'), or null when the runtime
 * does not know it. Links such as 'Asia/Kolkata' or 'US/Eastern' are kept as given; offsets ('+01:00') are refused.
 */
export function canonicalTimeZone(name: string): string | null {
  if (!ZONE_NAME.test(name)) return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  if (resolved.toLowerCase() === name.toLowerCase()) return resolved;
  zonesByLowerCase ??= new Map(['UTC', ...Intl.supportedValuesOf('timeZone')].map((z) => [z.toLowerCase(), z]));
  return zonesByLowerCase.get(name.toLowerCase()) ?? name;
}

let currencies: Set<string> | undefined;

/** True for an ISO 4217 code the runtime knows ('USD', 'EUR'); expects upper case. */
export function isCurrencyCode(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}

function validatorDecorator(name: string, test: (v: string) => boolean, message: string, options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && test(value) },
    });
}

export const IsLanguageTag = (o?: ValidationOptions): PropertyDecorator =>
  validatorDecorator('isLanguageTag', (v) => canonicalLanguageTag(v) === v, '$property must be a BCP 47 language tag such as en or pt-BR', o);
export const IsTimeZone = (o?: ValidationOptions): PropertyDecorator =>
  validatorDecorator('isTimeZone', (v) => canonicalTimeZone(v) !== null, '$property must be an IANA time zone such as Europe/Berlin', o);
export const IsCurrencyCode = (o?: ValidationOptions): PropertyDecorator =>
  validatorDecorator('isCurrencyCode', isCurrencyCode, '$property must be an ISO 4217 currency code such as EUR', o);

/** class-transformer helpers: canonical spelling before validation (invalid input is left for the validator). */
export const toLanguageTag = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? (canonicalLanguageTag(value.trim()) ?? value) : value);
export const toTimeZone = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? (canonicalTimeZone(value.trim()) ?? value) : value);
export const toCurrencyCode = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim().toUpperCase() : value);
