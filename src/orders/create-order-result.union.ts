import { createUnionType } from 'type-graphql';
import {
  DuplicateDetected,
  IdempotencyKeyReused,
  InsufficientStock,
  InvalidIdempotencyKey,
  InvalidOrderToken,
  OrderCreated,
  PossibleDuplicate,
  RequestInProgress,
  ValidationFailed,
} from './create-order-outcomes.type';

/** Every expected outcome of createOrder is a member here; only the unexpected is an error. */
export const CreateOrderResult = createUnionType({
  name: 'CreateOrderResult',
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
