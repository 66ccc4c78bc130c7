// The answers' classes are type-graphql types, whose decorators need the metadata API.
import 'reflect-metadata';
import { problemOf } from '../src/channels/channel-answers';
import type { Problem } from '../src/channels/channel-answers';
import { MARKETPLACE_STATUS } from '../src/channels/marketplace-webhook.adapter';
import { PARTNER_API_STATUS } from '../src/channels/partner-api.adapter';
import type { Order } from '../src/orders/order.type';
import { IdempotencyKeyReused } from '../src/orders/results/idempotency-key-reused.type';
import { InsufficientStock } from '../src/orders/results/insufficient-stock.type';
import { InvalidIdempotencyKey } from '../src/orders/results/invalid-idempotency-key.type';
import { InvalidOrderToken } from '../src/orders/results/invalid-order-token.type';
import { PossibleDuplicate } from '../src/orders/results/possible-duplicate.type';
import { RequestInProgress } from '../src/orders/results/request-in-progress.type';
import { ValidationFailed } from '../src/orders/results/validation-failed.type';

/**
 * One answer of each kind createOrder gives without an order, as the doors receive it from the
 * gate. Their contents do not matter: only which problem each stands for, as problemOf decides.
 */
function sampleAnswers(): object[] {
  const candidate = { id: 'candidate' } as Order;
  return [
    new PossibleDuplicate(candidate, 1, []),
    new RequestInProgress('key', 1_000),
    new IdempotencyKeyReused('key'),
    new InvalidIdempotencyKey('bad key'),
    new ValidationFailed('items[0].sku', 'unknown SKU'),
    new InvalidOrderToken('no such token'),
    new InsufficientStock('SKU', 2, 1),
  ];
}

/**
 * docs/channels.md's table of the same refusal at each door: GraphQL's union member, the problem
 * code, and the status the partner REST API and the marketplace webhook answer it with (the
 * adapters' own maps), so that a partner using both doors reads the differences in one place.
 */
export function channelStatusTable(): string {
  const rows = sampleAnswers().map((answer) => {
    const problem = problemOf(answer) as Problem;
    const webhook = MARKETPLACE_STATUS[problem.kind];
    const webhookAnswer = problem.kind === 'held' ? `${webhook} \`{"status":"held",…}\`` : String(webhook);
    return `| \`${answer.constructor.name}\` | \`${problem.code}\` | ${PARTNER_API_STATUS[problem.kind]} | ${webhookAnswer} |`;
  });
  return [
    '| GraphQL `createOrder` | code | partner REST API | marketplace webhook |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
