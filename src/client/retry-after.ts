/** Retry hints: the server's exact `retryAfterMs`, or an HTTP Retry-After header. */

/**
 * The retry hint in ms: the server's exact one (`exact`, the error's `extensions.retryAfterMs`), else the Retry-After header (RFC 9110
 * §10.2.3: delay-seconds, or an HTTP-date). A header that is neither is no hint.
 */
export function retryAfterMsOf(response: Response, exact: unknown): number | undefined {
  if (typeof exact === 'number' && exact >= 0) return exact;
  const header = response.headers.get('retry-after')?.trim();
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Math.min(Number(header) * 1000, Number.MAX_SAFE_INTEGER);
  const at = httpDate(header);
  return at === undefined ? undefined : Math.max(0, at - Date.now());
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(?<month>${MONTHS.join('|')})`;
const TIME = '(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})';
/** IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), and the obsolete forms a recipient must accept too. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} (?<day> \\d|\\d{2}) ${TIME} (?<year>\\d{4})$`);

/** An HTTP-date (RFC 9110 §5.6.7) as epoch ms, or undefined. All three forms are UTC. */
function httpDate(text: string): number | undefined {
  const groups = (IMF_FIXDATE.exec(text) ?? RFC850_DATE.exec(text) ?? ASCTIME_DATE.exec(text))?.groups;
  if (!groups) return undefined;
  // Each pattern has all six groups; the defaults are for the type (string | undefined when the
  // user's project sets noUncheckedIndexedAccess).
  const { day = '', month = '', year = '', hour = '', minute = '', second = '' } = groups;
  const at = Date.UTC(fullYear(year), MONTHS.indexOf(month), Number(day), Number(hour), Number(minute), Number(second));
  const date = new Date(at);
  // Reject what Date.UTC would roll over (31 Feb, 25:00:00).
  return date.getUTCDate() === Number(day) &&
    date.getUTCHours() === Number(hour) &&
    date.getUTCMinutes() === Number(minute)
    ? at
    : undefined;
}

/** RFC 850's two-digit year more than 50 years ahead is the most recent past year with those digits. */
function fullYear(year: string): number {
  if (year.length !== 2) return Number(year);
  const thisYear = new Date().getUTCFullYear();
  const candidate = Math.floor(thisYear / 100) * 100 + Number(year);
  return candidate > thisYear + 50 ? candidate - 100 : candidate;
}
