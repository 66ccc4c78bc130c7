import { IdempotencyGuard, MemoryClaimStore } from '../src';
import type { IdempotencyObserver } from '../src';

// Type-level: compiled by the package's and the root's `tsc` (both include this folder). An inline
// observer's event and request were typed from IdempotencyObserver<never, never>:
// `event.metadata.channel` failed with "Property 'channel' does not exist on type 'never'".
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_check: T): void {}

interface ChannelMetadata {
  channel: string;
}
interface AppRequest {
  requestId: string;
}
const timing = { leaseMs: 30_000, retentionMs: 60_000, retryAfterMs: 200, storeTimeoutMs: 1_000 };

describe("an inline observer's types", () => {
  it("are the guard's: its type arguments, or the observers' beside it, or the defaults", () => {
    const seen: unknown[] = [];
    // The guard's type arguments.
    new IdempotencyGuard<ChannelMetadata, AppRequest>(new MemoryClaimStore(), {
      ...timing,
      observers: [
        {
          onDecision: (event, request) => {
            assertType<Equal<typeof event.metadata.channel, string | undefined>>(true);
            assertType<Equal<typeof request, AppRequest>>(true);
            seen.push(event.metadata.channel, request.requestId);
          },
        },
      ],
    });
    // Inferred from a typed observer in the same list.
    const typed: IdempotencyObserver<ChannelMetadata, AppRequest> = { onDecision: () => undefined };
    new IdempotencyGuard(new MemoryClaimStore(), {
      ...timing,
      observers: [typed, { onDecision: (event, request) => seen.push(event.metadata.channel, request.requestId) }],
    });
    // Nothing to infer from: the defaults (any metadata field, unknown).
    new IdempotencyGuard(new MemoryClaimStore(), {
      ...timing,
      observers: [
        {
          onDecision: (event, request) => {
            assertType<Equal<typeof event.metadata.channel, unknown>>(true);
            assertType<Equal<typeof request, unknown>>(true);
            seen.push(event.metadata.channel, request);
          },
        },
      ],
    });
    expect(seen).toEqual([]);
  });
});
