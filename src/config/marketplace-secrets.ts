/** A marketplace's name as it appears in the webhook's path: lower-case letters, digits and `-`. */
export const MARKETPLACE_SOURCE_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** Shortest accepted signing secret (characters). */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** The signing secrets of each marketplace: several during a rotation, any of them verifies. */
export type MarketplaceSecrets = ReadonlyMap<string, readonly string[]>;

/**
 * Reads `MARKETPLACE_WEBHOOK_SECRETS`: comma-separated `source=secret` pairs, e.g.
 * `acme=4f9c…,bazaar=77d1…`. A source named twice has both secrets (rotate by adding the new one,
 * then removing the old). Returns an error message naming the bad part, never a secret.
 */
export function parseMarketplaceSecrets(text: string): Map<string, string[]> | string {
  // A Map, not an object: a source named `constructor` must not meet Object.prototype.
  const secrets = new Map<string, string[]>();
  const pairs = text
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair.length > 0);
  for (const [index, pair] of pairs.entries()) {
    const at = pair.indexOf('=');
    const source = at > 0 ? pair.slice(0, at).trim() : '';
    const secret = at > 0 ? pair.slice(at + 1).trim() : '';
    if (!MARKETPLACE_SOURCE_PATTERN.test(source))
      return `pair ${index + 1}: expected source=secret with a source of a-z 0-9 - (at most 32)`;
    if (secret.length < MIN_WEBHOOK_SECRET_LENGTH)
      return `pair ${index + 1} (${source}): the secret must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`;
    secrets.set(source, [...(secrets.get(source) ?? []), secret]);
  }
  return secrets;
}
