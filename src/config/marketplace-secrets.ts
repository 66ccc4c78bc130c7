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

/**
 * How a marketplace signs its webhooks: `hmac-sha256` (Order Gate's own scheme: `x-signature:
 * sha256=<hex>` over `<timestamp>.<body>`) or `standard-webhooks` (the Standard Webhooks spec:
 * `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`, `whsec_` secrets).
 */
export type WebhookScheme = 'hmac-sha256' | 'standard-webhooks';

const WEBHOOK_SCHEMES: readonly WebhookScheme[] = ['hmac-sha256', 'standard-webhooks'];

/** The scheme of a source MARKETPLACE_WEBHOOK_SCHEMES does not name. */
export const DEFAULT_WEBHOOK_SCHEME: WebhookScheme = 'hmac-sha256';

/** A Standard Webhooks secret: `whsec_` and the base64 of at least this many bytes. */
const MIN_STANDARD_WEBHOOK_KEY_BYTES = 16;
const STANDARD_WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** The signing scheme of each marketplace source that does not use the default. */
export type MarketplaceSchemes = ReadonlyMap<string, WebhookScheme>;

/**
 * Reads `MARKETPLACE_WEBHOOK_SCHEMES` (`source=scheme,…`, e.g. `bazaar=standard-webhooks`) against
 * the secrets already read: every source named must have secrets, and a `standard-webhooks`
 * source's secrets must all be `whsec_<base64>`. Returns an error message, never a secret.
 */
export function parseMarketplaceSchemes(
  text: string,
  secrets: MarketplaceSecrets,
): Map<string, WebhookScheme> | string {
  const schemes = new Map<string, WebhookScheme>();
  const pairs = text
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair.length > 0);
  for (const [index, pair] of pairs.entries()) {
    const [source = '', scheme = ''] = pair.split('=').map((part) => part.trim());
    const known = WEBHOOK_SCHEMES.find((candidate) => candidate === scheme);
    if (!MARKETPLACE_SOURCE_PATTERN.test(source) || !known)
      return `pair ${index + 1}: expected source=${WEBHOOK_SCHEMES.join('|')}`;
    const sourceSecrets = secrets.get(source);
    if (!sourceSecrets) return `pair ${index + 1} (${source}): the source has no secret in MARKETPLACE_WEBHOOK_SECRETS`;
    if (known === 'standard-webhooks' && !sourceSecrets.every(isStandardWebhookSecret))
      return `pair ${index + 1} (${source}): a standard-webhooks source's secrets must be whsec_ and the base64 of at least ${MIN_STANDARD_WEBHOOK_KEY_BYTES} bytes`;
    schemes.set(source, known);
  }
  return schemes;
}

function isStandardWebhookSecret(secret: string): boolean {
  if (!STANDARD_WEBHOOK_SECRET_PATTERN.test(secret)) return false;
  return Buffer.from(secret.slice('whsec_'.length), 'base64').length >= MIN_STANDARD_WEBHOOK_KEY_BYTES;
}
