// A language tag that Intl accepts, in every page of the app. WebKitGTK
// takes `navigator.language` from the process's locale, and under the
// POSIX locales (LANG=C.UTF-8 is Debian's default) it reports `C`, which
// is no BCP 47 tag: `new Intl.NumberFormat(navigator.language)` throws
// RangeError. Libraries do exactly that when their module loads (uPlot
// does), so a widget published unchanged never defined its element. Where
// the page's language is not a tag, the page gets the tag the locale name
// means (`en_GB.UTF-8` → `en-GB`) or, for `C` and `POSIX`, the runtime's
// own default locale.

/** `name` as a BCP 47 tag, or null: `en_GB.UTF-8` → `en-GB`, `C` → null. */
export function languageTag(name: string): string | null {
  const bare = name.replace(/[.@].*$/, '').replace(/_/g, '-');
  if (!bare || /^(c|posix)$/i.test(bare)) return null;
  try {
    return Intl.getCanonicalLocales(bare)[0] ?? null;
  } catch {
    return null;
  }
}

/** Puts valid tags in `nav.language` and `nav.languages` where they are not
 *  (on the navigator itself, so the prototype stays as it is); returns the
 *  language now reported, or null when nothing needed changing. */
export function installLanguageFallback(nav: Navigator, fallback = defaultLocale()): string | null {
  const given = [nav.language, ...(nav.languages ?? [])];
  if (given.every((l) => typeof l === 'string' && languageTag(l) === l)) return null;
  const tags = [...new Set(given.map((l) => (typeof l === 'string' ? languageTag(l) : null)).filter((t) => t !== null))];
  const languages = Object.freeze(tags.length ? tags : [fallback]);
  Object.defineProperty(nav, 'language', { configurable: true, get: () => languages[0] });
  Object.defineProperty(nav, 'languages', { configurable: true, get: () => languages });
  return languages[0];
}

/** The runtime's default locale (`en-US` when the process has none). */
function defaultLocale(): string {
  try {
    return new Intl.NumberFormat().resolvedOptions().locale;
  } catch {
    return 'en-US';
  }
}
