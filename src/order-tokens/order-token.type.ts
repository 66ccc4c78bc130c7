import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A one-time anti-replay token: pass it as CreateOrderInput.orderToken before expiresAt.' })
export class OrderToken {
  @Field()
  token: string;

  @Field()
  expiresAt: Date;

  constructor(token: string, expiresAt: Date) {
    this.token = token;
    this.expiresAt = expiresAt;
  }
}
