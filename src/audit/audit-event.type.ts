import { Field, Float, ID, ObjectType } from 'type-graphql';
import { SalesChannel } from '../sales-channel/sales-channel.type';

@ObjectType({ description: 'One idempotency decision as the append-only audit log recorded it (admins only).' })
export class IdempotencyAuditEvent {
  @Field(() => ID, { description: "The event's id in the log." })
  id!: string;

  @Field({ description: 'When the decision was taken.' })
  at!: Date;

  @Field({
    description:
      'created, duplicate, reused, in_progress, invalid_key, rejected, token_replay, possible_duplicate_held, possible_duplicate_flagged, possible_duplicate_confirmed or merged.',
  })
  outcome!: string;

  @Field(() => String, { nullable: true, description: 'The layer that recognised a repeat (CACHE, DATABASE, TOKEN).' })
  source!: string | null;

  @Field({ description: 'How the claim store took part: claimed, held, unavailable or none.' })
  claim!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'The customer (or the acting admin) the decision was for; null when a request was refused before that was known.',
  })
  customerId!: string | null;

  @Field({ description: 'The key sent (its first 512 characters).' })
  idempotencyKey!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'SHA-256 (hex) of the request the key stands for; null when the request was refused before it was read.',
  })
  fingerprint!: string | null;

  @Field(() => SalesChannel, {
    nullable: true,
    description: "The order's channel (createOrder: the request's); null when there is none, e.g. adjustInventory.",
  })
  channel!: SalesChannel | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The source within the channel the request named (a marketplace's name, a POS store), refused requests included; null for the channel alone, and in rows written before it was recorded.",
  })
  salesSource!: string | null;

  @Field(() => ID, { nullable: true, description: 'The order created or repeated.' })
  orderId!: string | null;

  @Field(() => ID, { nullable: true, description: "A possible duplicate's recent equivalent, or a merge's survivor." })
  relatedOrderId!: string | null;

  @Field(() => SalesChannel, {
    nullable: true,
    description:
      "The channel of relatedOrderId's order: with `channel`, the two doors of a cross-channel possible duplicate.",
  })
  relatedChannel!: SalesChannel | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The request's id (its X-Request-Id, or one the server gave it), as logged; 'dedupe-merge' for merges.",
  })
  requestId!: string | null;

  @Field(() => Float, { description: "Time from the guard's start to its decision (ms)." })
  latencyMs!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "The duplicate-risk model's score (0 to 1) of a new-key order that had a candidate, when a model decided; null under the static rule.",
  })
  riskScore!: number | null;

  @Field(() => String, { nullable: true, description: 'The version of the model that gave riskScore.' })
  riskModelVersion!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The mutation decided on: createOrder (every door), cancelOrder, refundOrder, changeShippingAddress, adjustInventory, releaseHeldOrder, dismissHeldOrder; null in rows written before it was recorded.',
  })
  operation!: string | null;
}
