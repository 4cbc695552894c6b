import { formatAddress, maskEmail, maskPhone, maskText } from './pii-mask';

describe('pii masking', () => {
  it('keeps the first letter and the domain of an email', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@example.com');
  });

  it('keeps the country code and the last two digits of a phone', () => {
    expect(maskPhone('+447911123489')).toBe('+44********89');
    expect(maskPhone('+44 7911 123489')).toBe('+44********89');
  });

  it('masks emails and phone numbers inside free text but leaves short numbers alone', () => {
    expect(maskText('Call +14155550123 or mail jane@example.com about order 1234')).toBe('Call +14*******23 or mail j***@example.com about order 1234');
  });

  it('hides street and postal code of a masked address', () => {
    const a = { type: 'shipping', line1: '1 Market St', line2: 'Suite 4', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US', isDefault: true };
    expect(formatAddress(a, true)).toBe('shipping (default): ***, San Francisco, CA ***, US');
    expect(formatAddress(a, false)).toBe('shipping (default): 1 Market St, Suite 4, San Francisco, CA 94105, US');
  });
});
