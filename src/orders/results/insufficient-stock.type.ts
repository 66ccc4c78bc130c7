import { Field, Int, ObjectType } from 'type-graphql';

/** InsufficientStock's description (the type). */
const INSUFFICIENT_STOCK =
  'A line asks for more units than are in stock. Nothing was created (a release: the order stays held); ' +
  'send fewer units, or retry later: a refusal is not remembered, so the same key may be used.';

@ObjectType({ description: INSUFFICIENT_STOCK })
export class InsufficientStock {
  @Field({ description: 'The SKU that is short (the first in SKU order).' })
  sku: string;

  @Field(() => Int, { description: 'Units asked for of this SKU (lines of one SKU summed).' })
  requested: number;

  @Field(() => Int, { description: 'Units in stock when the order was checked.' })
  available: number;

  constructor(sku: string, requested: number, available: number) {
    this.sku = sku;
    this.requested = requested;
    this.available = available;
  }
}
