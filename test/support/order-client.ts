import { randomUUID } from 'node:crypto';
import { CreateOrderDocument, IssueOrderTokenDocument } from '../operations/generated';
import type { CreateOrderInput, CreateOrderMutation } from '../operations/generated';
import { postOperation } from './graphql-client';
import type { ServerAccess } from './server';

/** What createOrder answered, typed by the generated document (test/operations/create-order.graphql). */
export type CreateOrderAnswer = CreateOrderMutation['createOrder'];

/** A fresh idempotency key. */
export function newKey(prefix = 'key'): string {
  return `${prefix}-${randomUUID()}`;
}

/** Sends createOrder as `customerId` (or with a ready bearer token) and returns its answer; a GraphQL error fails the test. */
export async function createOrder(
  server: ServerAccess,
  who: { customerId: string } | { token: string },
  key: string,
  input: CreateOrderInput,
): Promise<CreateOrderAnswer> {
  const token = 'token' in who ? who.token : await server.tokenFor(who.customerId);
  const response = await postOperation(server.url, CreateOrderDocument, { key, input }, { token });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createOrder;
}

/** Issues a one-time order token for the bearer. */
export async function issueOrderToken(
  server: ServerAccess,
  bearer: string,
): Promise<{ token: string; expiresAt: string }> {
  const response = await postOperation(server.url, IssueOrderTokenDocument, {}, { token: bearer });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.issueOrderToken;
}

/** The order an answer names (created or repeated), if any; any member of the union (or none) may be passed. */
export function orderIdOf(answer: object | null | undefined): string | undefined {
  const named = answer as { order?: { id: string } | null; originalOrder?: { id: string } | null } | null | undefined;
  return named?.order?.id ?? named?.originalOrder?.id;
}

/** `DuplicateDetected/CACHE`, `OrderCreated`, …: the answer's member, with the layer for a repeat. */
export function outcomeOf(answer: { __typename: string; detectedBy?: string | null }): string {
  return answer.detectedBy ? `${answer.__typename}/${answer.detectedBy}` : answer.__typename;
}

/** Counts answers by outcomeOf (or by `label`). */
export function tally<T>(
  answers: readonly T[],
  label: (answer: T) => string = (answer) => outcomeOf(answer as { __typename: string }),
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) counts[label(answer)] = (counts[label(answer)] ?? 0) + 1;
  return counts;
}
