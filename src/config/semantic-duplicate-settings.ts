import { z } from 'zod';
import { positiveMs } from './numeric-variables';
import { parsedWith } from './parsed-with';
import { parseSemanticDuplicatePolicy } from './semantic-duplicate-policy';

/** What the live path does with an order equivalent to a recent one (semantic-duplicate-policy.ts). */
export const semanticDuplicateEnvironment = {
  SEMANTIC_DUPLICATE_POLICY: z
    .string()
    .default('HOLD')
    .transform(parsedWith(parseSemanticDuplicatePolicy))
    .describe(
      'Possible-duplicate policy: `HOLD`, `FLAG` or `OFF`, or per channel (`WEB`, `MOBILE`, `API`, `MARKETPLACE`, `POS`), e.g. `WEB:HOLD,MARKETPLACE:FLAG,POS:OFF` (a bare policy sets the rest; either case).',
    ),
  SEMANTIC_DUPLICATE_WINDOW_MS: positiveMs
    .default(10 * 60 * 1000)
    .describe('How far back an equivalent order makes a possible duplicate (ms).'),
};
