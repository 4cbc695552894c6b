import { AppError } from './app-error';

const KNOWN = new Set<string>(Intl.supportedValuesOf('currency'));

export function isKnownCurrency(code: string): boolean {
  return KNOWN.has(code);
}

const EXPONENTS = new Map<string, number>();

/** Digits after the decimal point for an ISO 4217 currency (USD 2, JPY 0, KWD 3). Cached: building the formatter is slow. */
export function currencyExponent(code: string): number {
  let exp = EXPONENTS.get(code);
  if (exp === undefined) {
    exp = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    EXPONENTS.set(code, exp);
  }
  return exp;
}

/**
 * Converts an amount in major units (49.99) to integer minor units (4999) for `currency`.
 * More decimals than the currency has is an error, not a silent rounding.
 */
export function toMinorUnits(amount: number, currency: string, field = 'amount'): number {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) throw AppError.validation(field, 'must be a finite number');
  if (!isKnownCurrency(currency)) throw AppError.validation('currency', `${currency} is not an ISO 4217 currency code`);
  const exp = currencyExponent(currency);
  const scaled = amount * 10 ** exp;
  const minor = Math.round(scaled);
  if (Math.abs(scaled - minor) > 1e-6) throw AppError.validation(field, `has more than ${exp} decimal places for ${currency}`);
  if (!Number.isSafeInteger(minor)) throw AppError.validation(field, 'is too large');
  return minor;
}

export function fromMinorUnits(minor: number, currency: string): number {
  return minor / 10 ** currencyExponent(currency);
}
