import { Field, InputType, Int } from 'type-graphql';

/** ProductInput's description (the type). */
const PRODUCT_INPUT =
  'A catalog product to create, or to replace when its SKU exists. A value out of bounds is a BAD_USER_INPUT ' +
  'error naming the field (extensions.field).';

@InputType({ description: PRODUCT_INPUT })
export class ProductInput {
  @Field({ description: 'The SKU, 1 to 64 characters; stored trimmed and upper case.' })
  sku!: string;

  @Field({
    description:
      'The display name, 1 to 200 characters (trimmed), with no control character (a line break, a tab, ESC, …) nor bidirectional embedding, override or isolate.',
  })
  name!: string;

  @Field(() => Int, { description: 'The unit price in cents of `currency`: 0 or more.' })
  priceCents!: number;

  @Field({ description: 'The ISO 4217 currency code, three letters in any case (stored upper case).' })
  currency!: string;

  @Field(() => Int, {
    description: 'The stock to set, not add (0 or more); adjustInventory moves it by a delta, once per key.',
  })
  stock!: number;
}
