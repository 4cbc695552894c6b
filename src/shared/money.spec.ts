import { AppError } from './app-error';
import { currencyExponent, fromMinorUnits, toMinorUnits } from './money';

describe('money', () => {
  it('knows currency exponents', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('converts major to minor units without float drift', () => {
    expect(toMinorUnits(49.99, 'USD')).toBe(4999);
    expect(toMinorUnits(0.1 + 0.2, 'USD')).toBe(30);
    expect(toMinorUnits(1200, 'JPY')).toBe(1200);
    expect(fromMinorUnits(4999, 'USD')).toBe(49.99);
  });

  it('rejects too many decimals, unknown currencies and non-numbers', () => {
    expect(() => toMinorUnits(1.234, 'USD')).toThrow(AppError);
    expect(() => toMinorUnits(1.5, 'JPY')).toThrow(/decimal places/);
    expect(() => toMinorUnits(1, 'XYZ')).toThrow(/ISO 4217/);
    expect(() => toMinorUnits(Number.NaN, 'USD')).toThrow(/finite/);
  });
});
