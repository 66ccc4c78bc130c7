import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { SemanticMatch } from '../idempotency/idempotency-event';
import { Order } from './order.type';

export enum DetectionSource {
  CACHE = 'CACHE',
  DATABASE = 'DATABASE',
  TOKEN = 'TOKEN',
}
registerEnumType(DetectionSource, { name: 'DetectionSource', description: 'Which layer recognised the repeat.' });

@ObjectType({ description: 'The order was created by this request.' })
export class OrderCreated {
  @Field(() => Order)
  order: Order;

  /** Set when an equivalent recent order existed (not a GraphQL field: the audit log records it). */
  readonly semanticMatch?: SemanticMatch;

  constructor(order: Order, semanticMatch?: SemanticMatch) {
    this.order = order;
    if (semanticMatch) this.semanticMatch = semanticMatch;
  }
}

@ObjectType({
  description:
    'A different key, but the same customer placed an equivalent order moments ago. Nothing was created: to place it anyway, send it again with a new key and confirmPossibleDuplicate: true.',
})
export class PossibleDuplicate {
  @Field(() => Order, { description: 'The recent equivalent order.' })
  candidate: Order;

  @Field(() => Float, { description: 'How alike the two orders are, from 0 to 1.' })
  similarity: number;

  @Field(() => [String], { description: 'What the two orders have in common.' })
  reasons: string[];

  constructor(candidate: Order, similarity: number, reasons: string[]) {
    this.candidate = candidate;
    this.similarity = similarity;
    this.reasons = reasons;
  }
}

@ObjectType({
  description:
    'The same customer sent the same key with the same payload before: here is that order. Nothing new was created.',
})
export class DuplicateDetected {
  @Field(() => Order)
  originalOrder: Order;

  @Field()
  idempotencyKey: string;

  @Field(() => DetectionSource)
  detectedBy: DetectionSource;

  @Field()
  firstSeenAt: Date;

  constructor(originalOrder: Order, detectedBy: DetectionSource) {
    this.originalOrder = originalOrder;
    this.idempotencyKey = originalOrder.idempotencyKey;
    this.detectedBy = detectedBy;
    this.firstSeenAt = originalOrder.createdAt;
  }
}

@ObjectType({ description: 'The key was used before with a different payload. Nothing was created.' })
export class IdempotencyKeyReused {
  @Field()
  idempotencyKey: string;

  @Field()
  message: string;

  constructor(idempotencyKey: string) {
    this.idempotencyKey = idempotencyKey;
    this.message = 'This idempotency key was already used with a different request. Use a new key for a new order.';
  }
}

@ObjectType({ description: 'A request with this key is still being processed. Retry after the given time.' })
export class RequestInProgress {
  @Field()
  idempotencyKey: string;

  @Field(() => Int)
  retryAfterMs: number;

  constructor(idempotencyKey: string, retryAfterMs: number) {
    this.idempotencyKey = idempotencyKey;
    this.retryAfterMs = retryAfterMs;
  }
}

@ObjectType()
export class InvalidIdempotencyKey {
  @Field()
  message: string;

  constructor(message: string) {
    this.message = message;
  }
}

@ObjectType()
export class InvalidOrderToken {
  @Field()
  message: string;

  constructor(message: string) {
    this.message = message;
  }
}

@ObjectType()
export class InsufficientStock {
  @Field()
  sku: string;

  @Field(() => Int)
  requested: number;

  @Field(() => Int)
  available: number;

  constructor(sku: string, requested: number, available: number) {
    this.sku = sku;
    this.requested = requested;
    this.available = available;
  }
}

@ObjectType()
export class ValidationFailed {
  @Field()
  field: string;

  @Field()
  message: string;

  constructor(field: string, message: string) {
    this.field = field;
    this.message = message;
  }
}
