import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CatalogService } from '../catalog/catalog.service';
import { createProductLoader } from '../catalog/product.loader';
import { Product } from '../catalog/product.type';
import type { RequestContext } from '../request/request-context';
import { OrderItem } from './order.type';

@Resolver(() => OrderItem)
export class OrderItemResolver {
  /** This server's factory of the per-request product loader. */
  private readonly productLoader = () => createProductLoader(this.catalog);

  constructor(private readonly catalog: CatalogService) {}

  @FieldResolver(() => Product)
  async product(@Root() item: OrderItem, @Ctx() context: RequestContext): Promise<Product> {
    const product = item.product ?? (await context.perRequest(this.productLoader).load(item.productId));
    // Order items reference products with a foreign key, so a missing one is a broken invariant.
    if (!product) throw new Error(`Product ${item.productId} of an order item is missing.`);
    return product;
  }
}
