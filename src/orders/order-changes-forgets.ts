import type pg from 'pg';
import { pgRunner } from '../db/sql-runner';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { throttledWarning } from '../observability/throttled-log';
import { callStore } from '../stores/store-call';
import type { StoreCallPolicy } from '../stores/store-call';
import { changingOrders } from './order-changes';
import type { ForgetOutcome } from './order-changes-catch-up';
import type { ChangingOrder, OrderReplays } from './order-replays';

export interface OrderChangesForgetsOptions {
  /** This region's claims. */
  replays: Pick<OrderReplays, 'forgetIfHeld'>;
  /** Budget and failure report of each forget (REDIS_TIMEOUT_MS). */
  storeCalls: Pick<StoreCallPolicy, 'timeoutMs'>;
  metrics: Metrics;
  logger: Logger;
}

/**
 * The listener's forgetting of changed orders' replays in this region, and whether any failed
 * since the watermark last moved: a replay left behind would be answered for the whole retention,
 * so such a failure holds the watermark (order-changes-listener.ts).
 */
export class OrderChangesForgets {
  /** A read or a forget failed since `clearFailed()`. */
  failed = false;
  private readonly warn: (details: Record<string, unknown>) => void;

  constructor(private readonly options: OrderChangesForgetsOptions) {
    this.warn = throttledWarning(
      options.logger,
      'order changes: could not forget a changed order’s replay in this region: the watermark waits for a catch-up',
    );
  }

  /** Returns whether one failed since the last call, and starts counting again. */
  clearFailed(): boolean {
    const failed = this.failed;
    this.failed = false;
    return failed;
  }

  /** One batch of ids heard: their orders read as committed, their replays forgotten here; counted by outcome. */
  async batch(client: pg.Client, orderIds: string[], closed: () => boolean): Promise<void> {
    const { metrics } = this.options;
    let orders: ChangingOrder[];
    try {
      orders = await changingOrders(pgRunner(client), orderIds);
    } catch (error) {
      // A read cut short by close() is no failure.
      if (closed()) return;
      this.failed = true;
      this.warn({ err: error, orders: orderIds.length });
      metrics.orderChangeNotices.inc({ outcome: 'failed' }, orderIds.length);
      return;
    }
    for (const outcome of await this.all(orders)) metrics.orderChangeNotices.inc({ outcome });
  }

  /** The writes leave together (ioredis sends what is written in one tick as one pipeline). */
  all(orders: readonly ChangingOrder[]): Promise<ForgetOutcome[]> {
    return Promise.all(orders.map((order) => this.one(order)));
  }

  private async one(order: ChangingOrder): Promise<ForgetOutcome> {
    const { replays, storeCalls } = this.options;
    const forgotten = await callStore(
      {
        timeoutMs: storeCalls.timeoutMs,
        onFailure: (_operation, error) => this.warn({ err: error, orderId: order.id }),
      },
      'forget-replay-notified',
      () => replays.forgetIfHeld(order),
    );
    if (!forgotten.ok) this.failed = true;
    return !forgotten.ok ? 'failed' : forgotten.value ? 'forgotten' : 'absent';
  }
}
