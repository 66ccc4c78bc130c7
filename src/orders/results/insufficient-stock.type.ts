import { Field, Int, ObjectType } from 'type-graphql';

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
