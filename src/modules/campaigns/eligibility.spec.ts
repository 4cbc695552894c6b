import { AudienceContact, exclusionReason } from './eligibility';

const contact = (over: Partial<AudienceContact> = {}, prefs: Partial<NonNullable<AudienceContact['preferences']>> = {}): AudienceContact => ({
  id: 'c1',
  email: 'a@example.com',
  phone: '+14155550123',
  firstName: 'A',
  lastName: 'B',
  deleted: false,
  preferences: { doNotContact: false, channels: { email: true, sms: true, push: true, call: true }, marketingConsent: { granted: true }, ...prefs },
  ...over,
});

describe('exclusionReason', () => {
  it('lets a consenting, opted-in customer with an address through', () => {
    expect(exclusionReason(contact(), 'email')).toBeNull();
  });

  it('names the first reason that applies', () => {
    expect(exclusionReason(undefined, 'email')).toBe('notFound');
    expect(exclusionReason(contact({ deleted: true }), 'email')).toBe('notFound');
    expect(exclusionReason(contact({}, { doNotContact: true, marketingConsent: { granted: false } }), 'email')).toBe('doNotContact');
    expect(exclusionReason(contact({}, { marketingConsent: { granted: false } }), 'email')).toBe('noConsent');
    expect(exclusionReason(contact({}, { channels: { email: false, sms: true } }), 'email')).toBe('channelOptOut');
    expect(exclusionReason(contact({ phone: null }), 'sms')).toBe('missingContact');
  });

  it('treats a customer without preferences as not having consented', () => {
    expect(exclusionReason(contact({ preferences: null }), 'push')).toBe('noConsent');
  });
});
