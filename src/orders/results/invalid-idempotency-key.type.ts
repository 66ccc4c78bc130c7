import { Field, ObjectType } from 'type-graphql';

@ObjectType()
export class InvalidIdempotencyKey {
  @Field()
  message: string;

  constructor(message: string) {
    this.message = message;
  }
}
