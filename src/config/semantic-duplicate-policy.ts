import { SalesChannel } from '../db/generated/enums';

/**
 * What the live path does with an order equivalent to a recent one of the same customer:
 * HOLD answers PossibleDuplicate and creates nothing, FLAG creates it marked
 * (possibleDuplicateOfId) and recorded, OFF does not look.
 */
export type SemanticDuplicatePolicy = 'HOLD' | 'FLAG' | 'OFF';

/** Default time within which an equivalent order counts as a possible duplicate (ms): 10 minutes. */
export const DEFAULT_SEMANTIC_WINDOW_MS = 10 * 60 * 1000;

export const SEMANTIC_DUPLICATE_POLICIES: readonly SemanticDuplicatePolicy[] = ['HOLD', 'FLAG', 'OFF'];

/** Semantic duplicate detection on the live path. */
export interface SemanticDuplicateOptions {
  /** How far back an equivalent order counts (ms). Default 600 000 (10 minutes). */
  windowMs: number;
  /** The policy of each sales channel. Default HOLD everywhere. */
  policyByChannel: Record<SalesChannel, SemanticDuplicatePolicy>;
}

export const DEFAULT_SEMANTIC_DUPLICATE_OPTIONS: SemanticDuplicateOptions = {
  windowMs: DEFAULT_SEMANTIC_WINDOW_MS,
  policyByChannel: policiesFrom('HOLD'),
};

/** Every channel with the same policy. */
export function policiesFrom(policy: SemanticDuplicatePolicy): Record<SalesChannel, SemanticDuplicatePolicy> {
  return Object.fromEntries(Object.values(SalesChannel).map((channel) => [channel, policy])) as Record<
    SalesChannel,
    SemanticDuplicatePolicy
  >;
}

/**
 * Reads `SEMANTIC_DUPLICATE_POLICY`: comma-separated `CHANNEL:POLICY` pairs, where a bare `POLICY`
 * (or `*:POLICY`) sets the default of the channels not named; e.g. `WEB:HOLD,MARKETPLACE:FLAG,POS:OFF`
 * or `FLAG,WEB:HOLD`. Returns an error message naming the bad part.
 */
export function parseSemanticDuplicatePolicy(text: string): Record<SalesChannel, SemanticDuplicatePolicy> | string {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  const named = new Map<SalesChannel, SemanticDuplicatePolicy>();
  let fallback: SemanticDuplicatePolicy = 'HOLD';
  for (const part of parts) {
    const [left, right] = part.includes(':')
      ? part.split(':').map((side) => side.trim().toUpperCase())
      : ['*', part.toUpperCase()];
    if (!SEMANTIC_DUPLICATE_POLICIES.includes(right as SemanticDuplicatePolicy))
      return `"${part}": the policy must be HOLD, FLAG or OFF`;
    const policy = right as SemanticDuplicatePolicy;
    if (left === '*') fallback = policy;
    else if ((Object.values(SalesChannel) as string[]).includes(left)) named.set(left as SalesChannel, policy);
    else return `"${part}": unknown sales channel ${left} (the channels: ${Object.values(SalesChannel).join(', ')})`;
  }
  const policies = policiesFrom(fallback);
  for (const [channel, policy] of named) policies[channel] = policy;
  return policies;
}
