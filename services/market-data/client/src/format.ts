// Number and time formats (the user's locale, Intl.NumberFormat).

const cache = new Map<string, Intl.NumberFormat>();

function nf(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, options);
    } catch {
      // An unknown currency code: the plain number (the code is shown beside it).
      const { style: _style, currency: _currency, currencyDisplay: _display, ...rest } = options;
      f = new Intl.NumberFormat(undefined, rest);
    }
    cache.set(key, f);
  }
  return f;
}

/** A price with two decimals: 229.87. */
export function price(v: number): string {
  return nf({ minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
}

/** A price in its currency: $229.87. */
export function money(v: number, currency: string): string {
  return nf({ style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
}

/** A change with its sign: +1.12, −0.48. */
export function signed(v: number): string {
  return nf({ minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' }).format(v);
}

/** A change in percent (given in percent): +0.49 %. */
export function percent(pct: number): string {
  return nf({ style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' }).format(pct / 100);
}

/** A large count, compact: 45.2M. */
export function compact(v: number): string {
  return nf({ notation: 'compact', maximumFractionDigits: 1 }).format(v);
}

/** A large amount of money, compact: $3.48T. */
export function compactMoney(v: number, currency: string): string {
  return nf({ style: 'currency', currency, currencyDisplay: 'narrowSymbol', notation: 'compact', maximumFractionDigits: 2 }).format(v);
}

/** A whole number in full: 45,213,004. */
export function whole(v: number): string {
  return nf({ maximumFractionDigits: 0 }).format(v);
}

/** The time of day of an RFC 3339 time, in the user's zone: 14:32:05. */
export function timeOfDay(rfc3339: string): string {
  const d = new Date(rfc3339);
  return Number.isNaN(d.getTime()) ? rfc3339 : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** up, down or flat: the class that colours a change. */
export function direction(v: number): 'up' | 'down' | 'flat' {
  return v > 0 ? 'up' : v < 0 ? 'down' : 'flat';
}
