import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'No product has this SKU. Nothing changed.' })
export class ProductNotFound {
  @Field()
  sku: string;

  constructor(sku: string) {
    this.sku = sku;
  }
}
