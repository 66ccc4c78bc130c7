import { createUnionType } from 'type-graphql';
import { DuplicateDetected } from './duplicate-detected.type';
import { IdempotencyKeyReused } from './idempotency-key-reused.type';
import { InsufficientStock } from './insufficient-stock.type';
import { InvalidIdempotencyKey } from './invalid-idempotency-key.type';
import { InvalidOrderToken } from './invalid-order-token.type';
import { OrderCreated } from './order-created.type';
import { PossibleDuplicate } from './possible-duplicate.type';
import { RequestInProgress } from './request-in-progress.type';
import { ValidationFailed } from './validation-failed.type';

/** Every expected outcome of createOrder is a member here; only the unexpected is an error. */
export const CreateOrderResult = createUnionType({
  name: 'CreateOrderResult',
  description:
    'What createOrder did: OrderCreated, or DuplicateDetected for a repeat (both carry the order); every other ' +
    'member says why nothing was created. Only the unexpected is a GraphQL error.',
  types: () =>
    [
      OrderCreated,
      DuplicateDetected,
      IdempotencyKeyReused,
      RequestInProgress,
      InvalidIdempotencyKey,
      InvalidOrderToken,
      InsufficientStock,
      ValidationFailed,
      PossibleDuplicate,
    ] as const,
});

export type CreateOrderResult = typeof CreateOrderResult;
