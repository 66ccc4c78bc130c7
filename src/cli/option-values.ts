/**
 * The values of command-line options that parseArgs leaves as text: read strictly, and refused
 * like a mistyped option (one line on stderr, exit 2, before anything runs). `Number()` would take
 * `1h` for NaN and `3,600,000` for NaN too, and a tool would fall back to its default unnoticed.
 */

/** One line on stderr, exit 2: what parseCommandLine does with an unknown option. */
export function refuseOption(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** A whole number of at least `min` written in digits alone (no unit, separator, sign or fraction). */
export function integerOption(name: string, text: string, min = 1): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min)
    refuseOption(`--${name}: not a whole number of at least ${min} (digits only, no unit or separator): ${text}`);
  return value;
}

/** A decimal number strictly between `above` and `below` (e.g. 0.3). */
export function fractionOption(name: string, text: string, above = 0, below = 1): number {
  const value = /^\d*\.?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value > above && value < below)) refuseOption(`--${name}: not a number between ${above} and ${below}: ${text}`);
  return value;
}

/** A comma-separated list of names, each one of `known` (e.g. `--locales en,ru`). */
export function listOption(name: string, text: string, known: readonly string[]): string[] {
  const names = text.split(',').map((entry) => entry.trim());
  const unknown = names.find((entry) => !known.includes(entry));
  if (unknown !== undefined)
    refuseOption(
      `--${name}: no ${name.replace(/s$/, '')} ${unknown || '(empty)'} here (one or more of ${known.join(', ')})`,
    );
  return names;
}

/** A date (ISO 8601, e.g. 2026-11-30 or 2026-11-30T09:00:00Z). */
export function dateOption(name: string, text: string): Date {
  const value = new Date(text);
  if (Number.isNaN(value.getTime())) refuseOption(`--${name}: not an ISO date: ${text}`);
  return value;
}

/** A PostgreSQL connection URL (postgresql://user@host:port/database). */
export function postgresUrlOption(name: string, text: string): string {
  return urlOption(
    name,
    text,
    ['postgresql:', 'postgres:'],
    'a postgresql:// URL (postgresql://user@host:5432/database)',
  );
}

/**
 * An http:// or https:// URL of a server (http://127.0.0.1:4000). `new URL('localhost:4000')`
 * reads `localhost:` as a scheme, and a tool said only "Invalid URL" (found from outside).
 */
export function httpUrlOption(name: string, text: string): string {
  return urlOption(name, text, ['http:', 'https:'], 'an http:// or https:// URL (http://127.0.0.1:4000)');
}

/** A Redis URL (redis://127.0.0.1:6379, or rediss:// for TLS). */
export function redisUrlOption(name: string, text: string): string {
  return urlOption(name, text, ['redis:', 'rediss:'], 'a redis:// or rediss:// URL (redis://127.0.0.1:6379)');
}

/** `text` when it is a URL of one of `schemes`; otherwise the option is refused, saying what it takes. */
function urlOption(name: string, text: string, schemes: readonly string[], expected: string): string {
  let protocol: string | null = null;
  try {
    protocol = new URL(text).protocol;
  } catch {
    // Not a URL at all: refused below, as one of another scheme.
  }
  if (protocol === null || !schemes.includes(protocol)) refuseOption(`--${name}: not ${expected}: ${text}`);
  return text;
}
