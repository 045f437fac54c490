// How the watchlist writes numbers: made once (an Intl formatter per update
// costs native memory the JavaScript heap does not count; see the clock).
const PRICE = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const PERCENT = new Intl.NumberFormat(undefined, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});

export const price = (v) => PRICE.format(v);

/** A change in percent (1.23 means +1.23%), signed. */
export const percent = (v) => `${PERCENT.format(v)}%`;

/** The change in percent of `last` against `previousClose`. */
export const changePct = (last, previousClose) => (previousClose ? ((last - previousClose) / previousClose) * 100 : 0);

/** The UTC calendar day of an RFC 3339 time, as `YYYY-MM-DD`. */
export function utcDay(time) {
  const t = new Date(time);
  return Number.isNaN(t.getTime()) ? String(time).slice(0, 10) : t.toISOString().slice(0, 10);
}
