import { Field, ObjectType } from 'type-graphql';

@ObjectType()
export class InvalidOrderToken {
  @Field()
  message: string;

  constructor(message: string) {
    this.message = message;
  }
}
