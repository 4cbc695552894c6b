import { defaultPreferences, effectiveChannels, nextConsent } from './preferences.rules';

describe('preference rules', () => {
  it('turns every channel off under doNotContact and leaves them as chosen otherwise', () => {
    const channels = { email: true, sms: true, call: false, push: true };
    expect(effectiveChannels(channels, true)).toEqual({ email: false, sms: false, call: false, push: false });
    expect(effectiveChannels(channels, false)).toEqual(channels);
  });

  it('defaults to email only and no marketing consent', () => {
    expect(defaultPreferences()).toMatchObject({ channels: { email: true, sms: false, call: false, push: false }, doNotContact: false, marketingConsent: { granted: false } });
  });

  const now = new Date('2026-11-02T08:00:00.000Z');
  const granted = { granted: true, source: 'web', at: '2026-11-01T10:00:00.000Z' };

  it('keeps the consent time and records nothing when the same decision is sent again', () => {
    expect(nextConsent(granted, { granted: true, source: 'web' }, now)).toEqual({ consent: granted, changed: false });
  });

  it('stamps a withdrawal with now unless the caller says when', () => {
    expect(nextConsent(granted, { granted: false, source: 'unsubscribe-link' }, now)).toEqual({
      consent: { granted: false, source: 'unsubscribe-link', at: now.toISOString() },
      changed: true,
    });
    expect(nextConsent(granted, { granted: false, at: '2026-11-01T12:00:00+02:00' }, now).consent.at).toBe('2026-11-01T10:00:00.000Z');
  });
});
