import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { ORDER_OPERATIONS, decisionOf } from '../idempotency/order-decision-event';
import type { OrderDecisionEvent, OrderObserver } from '../idempotency/order-decision-event';
import type { SalesChannel } from '../sales-channel/sales-channel.type';
import { ChannelRequestContext } from './channel-request-context';

/**
 * What became of an order at a door: `created` (`flagged` when created although an equivalent
 * recent order exists), `duplicate` (by the layer that knew: CACHE, DATABASE, TOKEN), `held`
 * (possible duplicate, nothing created), `reused` (the identity stood for other content),
 * `in_progress` (a concurrent delivery was running), `rejected` (by the `adapter` before the gate:
 * signature, unreadable payload, bad POS line; or by the `gate`: validation, stock, key).
 */
export type ChannelOutcome = 'created' | 'flagged' | 'duplicate' | 'held' | 'reused' | 'in_progress' | 'rejected';

/** Per-channel counters, registered on the server's registry (served at /metrics). */
export class ChannelMetrics {
  readonly received: Counter<'channel'>;
  readonly outcomes: Counter<'channel' | 'outcome' | 'layer'>;

  constructor(registry: Registry) {
    this.received = new Counter({
      name: 'order_gate_channel_orders_received_total',
      help: 'Orders received, by sales channel: every webhook delivery, POS receipt, REST call and GraphQL createOrder.',
      labelNames: ['channel'] as const,
      registers: [registry],
    });
    this.outcomes = new Counter({
      name: 'order_gate_channel_decisions_total',
      help: 'What became of orders, by sales channel, outcome and layer (detection layer of a duplicate; adapter or gate of a rejection).',
      labelNames: ['channel', 'outcome', 'layer'] as const,
      registers: [registry],
    });
  }

  /** A delivery arrived at an adapter (before anything is checked). */
  receive(channel: SalesChannel, count = 1): void {
    this.received.inc({ channel }, count);
  }

  /** The adapter turned an order away before the gate (bad signature, unreadable payload, bad line). */
  refuse(channel: SalesChannel, count = 1): void {
    this.outcomes.inc({ channel, outcome: 'rejected', layer: 'adapter' }, count);
  }
}

/**
 * Counts every guard decision under its channel. GraphQL requests are counted as received here
 * (one createOrder, one decision); adapters count their own deliveries, since one delivery may ask
 * the guard more than once while a concurrent delivery of the same order runs.
 */
export function channelTelemetry(metrics: ChannelMetrics): OrderObserver {
  return {
    operations: ORDER_OPERATIONS,
    onDecision(event, request) {
      const fromAdapter = request instanceof ChannelRequestContext;
      const channel = event.metadata.channel ?? (fromAdapter ? request.channel : 'UNKNOWN');
      if (!fromAdapter) metrics.received.inc({ channel });
      metrics.outcomes.inc({ channel, ...outcomeOf(event) });
    },
  };
}

function outcomeOf(event: OrderDecisionEvent): { outcome: ChannelOutcome; layer: string } {
  const decision = decisionOf(event);
  switch (decision) {
    case 'created':
      return { outcome: event.metadata.semanticMatch === 'flagged' ? 'flagged' : 'created', layer: '' };
    case 'duplicate':
      return { outcome: 'duplicate', layer: event.layer ?? '' };
    case 'possible_duplicate':
      return { outcome: 'held', layer: '' };
    case 'reused':
    case 'in_progress':
      return { outcome: decision, layer: '' };
    case 'invalid_key':
    case 'rejected':
      return { outcome: 'rejected', layer: 'gate' };
  }
}
