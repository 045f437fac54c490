import { describe, expect, it } from 'vitest';

import { installLanguageFallback, languageTag } from '../src/sdk/language';

/** A navigator reporting what WebKitGTK reports for a POSIX locale name. */
function navigatorWith(language: string, languages: string[]): Navigator {
  return { language, languages } as unknown as Navigator;
}

describe('page language', () => {
  it('reads locale names as BCP 47 tags', () => {
    expect(languageTag('en_GB.UTF-8')).toBe('en-GB');
    expect(languageTag('de_DE@euro')).toBe('de-DE');
    expect(languageTag('fr')).toBe('fr');
    expect(languageTag('C')).toBeNull();
    expect(languageTag('C.UTF-8')).toBeNull();
    expect(languageTag('POSIX')).toBeNull();
    expect(languageTag('')).toBeNull();
  });

  it('gives a page under LANG=C.UTF-8 a language Intl accepts', () => {
    const nav = navigatorWith('C', ['C']);
    expect(() => new Intl.NumberFormat(nav.language)).toThrow(RangeError);
    expect(installLanguageFallback(nav, 'en-US')).toBe('en-US');
    expect(nav.language).toBe('en-US');
    expect(nav.languages).toEqual(['en-US']);
    expect(new Intl.NumberFormat(nav.language).format(1234.5)).toBe('1,234.5');
  });

  it('keeps the languages the locale names, as tags', () => {
    const nav = navigatorWith('en_GB', ['en_GB', 'C', 'de']);
    expect(installLanguageFallback(nav, 'en-US')).toBe('en-GB');
    expect(nav.languages).toEqual(['en-GB', 'de']);
  });

  it('leaves valid languages alone', () => {
    const nav = navigatorWith('de-CH', ['de-CH', 'en']);
    expect(installLanguageFallback(nav, 'en-US')).toBeNull();
    expect(nav.language).toBe('de-CH');
    expect(nav.languages).toEqual(['de-CH', 'en']);
  });
});
