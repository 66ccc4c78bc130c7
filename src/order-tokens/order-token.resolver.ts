import { Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../request/request-context';
import type { OrderTokenService } from './order-token.service';
import { OrderToken } from './order-token.type';

@Resolver(() => OrderToken)
export class OrderTokenResolver {
  constructor(private readonly tokens: OrderTokenService) {}

  @Authorized()
  @Mutation(() => OrderToken, {
    description: 'A one-time anti-replay token for the caller, stored server-side with an expiry.',
  })
  issueOrderToken(@Ctx() context: RequestContext): Promise<OrderToken> {
    return this.tokens.issue(context.requireViewer().customerId);
  }
}
