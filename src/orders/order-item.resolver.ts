import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Product } from '../catalog/product.type';
import type { GraphQLContext } from '../graphql/context';
import { OrderItem } from './order.type';

@Resolver(() => OrderItem)
export class OrderItemResolver {
  @FieldResolver(() => Product)
  async product(@Root() item: OrderItem, @Ctx() context: GraphQLContext): Promise<Product> {
    const product = item.product ?? (await context.loaders.products.load(item.productId));
    // Order items reference products with a foreign key, so a missing one is a broken invariant.
    if (!product) throw new Error(`Product ${item.productId} of an order item is missing.`);
    return product;
  }
}
