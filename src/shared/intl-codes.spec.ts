import { canonicalLanguageTag, canonicalTimeZone, isCurrencyCode } from './intl-codes';

describe('intl codes', () => {
  it('canonicalises BCP 47 tags and refuses what is not one', () => {
    expect(canonicalLanguageTag('en-us')).toBe('en-US');
    expect(canonicalLanguageTag('zh-hant-tw')).toBe('zh-Hant-TW');
    expect(canonicalLanguageTag('en_US')).toBeNull();
    expect(canonicalLanguageTag('123')).toBeNull();
    expect(canonicalLanguageTag(`en-${'a'.repeat(40)}`)).toBeNull();
  });

  it('accepts IANA zone names in any case, keeps links, refuses offsets and unknown names', () => {
    expect(canonicalTimeZone('europe/london')).toBe('Europe/London');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('+01:00')).toBeNull();
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
  });

  it('knows ISO 4217 currencies', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('ABC')).toBe(false);
  });
});
