import { createUnionType } from 'type-graphql';
import { KEYED } from '../../lifecycle/results/keyed-answers';
import { InsufficientStock } from '../../results/insufficient-stock.type';
import { HeldOrderAlreadyResolved } from './held-order-already-resolved.type';
import { HeldOrderDismissed } from './held-order-dismissed.type';
import { HeldOrderNotFound } from './held-order-not-found.type';
import { HeldOrderReleased } from './held-order-released.type';

/** Stock and catalog rules apply to a release as to any order: InsufficientStock, or ValidationFailed (a SKU gone). */
export const ReleaseHeldOrderResult = createUnionType({
  name: 'ReleaseHeldOrderResult',
  description:
    'What releaseHeldOrder did: HeldOrderReleased (detectedBy set on a repeat), or why nothing changed ' +
    '(InsufficientStock, ValidationFailed: the order is refused as any order would be; it stays held).',
  types: () => [HeldOrderReleased, HeldOrderAlreadyResolved, HeldOrderNotFound, InsufficientStock, ...KEYED] as const,
});
export type ReleaseHeldOrderResult = typeof ReleaseHeldOrderResult;

export const DismissHeldOrderResult = createUnionType({
  name: 'DismissHeldOrderResult',
  description: 'What dismissHeldOrder did: HeldOrderDismissed (detectedBy set on a repeat), or why nothing changed.',
  types: () => [HeldOrderDismissed, HeldOrderAlreadyResolved, HeldOrderNotFound, ...KEYED] as const,
});
export type DismissHeldOrderResult = typeof DismissHeldOrderResult;
