import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A one-time anti-replay token: pass it as CreateOrderInput.orderToken before expiresAt.' })
export class OrderToken {
  @Field({ description: 'The token: opaque, usable only by the customer it was issued to, for one order.' })
  token: string;

  @Field({
    description: 'When it stops being accepted: 10 minutes after issue unless the server is configured otherwise.',
  })
  expiresAt: Date;

  constructor(token: string, expiresAt: Date) {
    this.token = token;
    this.expiresAt = expiresAt;
  }
}
