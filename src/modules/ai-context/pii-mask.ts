/**
 * Masks personal data before it reaches an LLM prompt: enough stays visible to tell two customers apart
 * (first letter and domain of an email, country code and last two digits of a phone), nothing that reaches them.
 */

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// A run of 8+ digits with optional +, spaces, dots, dashes or brackets: phone-like, also card/account numbers.
const PHONE_IN_TEXT = /\+?\d[\d\s().-]{6,}\d/g;

/** jane.doe@example.com -> j***@example.com */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** +447911123489 -> +44********89 (country code and last two digits kept, every other digit starred). */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 6) return '***';
  const plus = phone.trim().startsWith('+') ? '+' : '';
  return `${plus}${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

/** Free text (notes, ticket subjects, event summaries) with every email and phone-like number masked. */
export function maskText(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (m) => maskEmail(m)).replace(PHONE_IN_TEXT, (m) => (m.replace(/\D/g, '').length >= 8 ? maskPhone(m) : m));
}

export interface AddressParts {
  type: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string | null;
  country: string;
  isDefault: boolean;
}

/** One line per address; masked keeps only city, region and country (street and postal code hidden). */
export function formatAddress(a: AddressParts, masked: boolean): string {
  const street = masked ? '***' : [a.line1, a.line2].filter(Boolean).join(', ');
  const postal = a.postalCode ? (masked ? '***' : a.postalCode) : null;
  const place = [street, a.city, [a.region, postal].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');
  return `${a.type}${a.isDefault ? ' (default)' : ''}: ${place}`;
}
