import { z } from 'zod';
import { parseMarketplaceSecrets } from './marketplace-secrets';
import type { MarketplaceSchemes, MarketplaceSecrets } from './marketplace-secrets';
import { positiveMs, wholeNumber } from './numeric-variables';
import { parsedWith } from './parsed-with';

/** The doors other than GraphQL: marketplace webhooks and POS batches (src/channels, docs/channels.md). */
export const channelEnvironment = {
  MARKETPLACE_WEBHOOK_SECRETS: z
    .string()
    .optional()
    .transform((text, ctx) => parsedWith(parseMarketplaceSecrets)(text ?? '', ctx))
    .describe(
      '`source=secret,…`: the marketplaces whose order webhooks are accepted, each with its HMAC-SHA256 signing secret (source `a-z 0-9 -`, at most 32; secret at least 16 characters; a source named twice has both secrets, for rotation). Default: none, every webhook is refused (docs/channels.md).',
    ),
  MARKETPLACE_WEBHOOK_SCHEMES: z
    .string()
    .optional()
    .describe(
      '`source=scheme,…`: how each marketplace signs its webhooks, `hmac-sha256` (`x-signature`, the default for a source not named) or `standard-webhooks` (`webhook-id`, `webhook-timestamp`, `webhook-signature`; its secrets in MARKETPLACE_WEBHOOK_SECRETS are `whsec_…`). E.g. `bazaar=standard-webhooks` (docs/channels.md).',
    ),
  MARKETPLACE_SIGNATURE_TOLERANCE_MS: positiveMs
    .default(5 * 60 * 1000)
    .describe(
      "How far a webhook's signed timestamp may be from the server's clock, either way (ms); older deliveries are refused as replays. For `standard-webhooks` sources at most 5 minutes, the `standardwebhooks` library's own bound.",
    ),
  POS_UPLOAD_LIMIT_BYTES: wholeNumber({ min: 1_024, unit: 'bytes' })
    .default(20 * 1_048_576)
    .describe('Largest POS file upload (bytes); larger answers 413.'),
  POS_BATCH_CONCURRENCY: wholeNumber({ min: 1, max: 64 })
    .default(4)
    .describe('Receipts of one POS upload placed at the same time.'),
};

/** Settings of the channel adapters (src/channels). */
export interface ChannelSettings {
  /** Signing secrets per marketplace source (MARKETPLACE_WEBHOOK_SECRETS `source=secret,…`). Default none: every webhook is refused. */
  marketplaceSecrets: MarketplaceSecrets;
  /** The signing scheme of each source that does not use `hmac-sha256` (MARKETPLACE_WEBHOOK_SCHEMES). Default none. */
  marketplaceSchemes: MarketplaceSchemes;
  /** How far a webhook's signed timestamp may be from the server's clock, either way (ms). Default 300 000 (5 min). */
  signatureToleranceMs: number;
  /** Largest POS file upload (bytes). Default 20 971 520 (20 MiB). */
  posUploadLimitBytes: number;
  /** Receipts of one POS upload placed at the same time. Default 4. */
  posBatchConcurrency: number;
}
