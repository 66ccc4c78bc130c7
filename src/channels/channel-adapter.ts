import type { Response, Router } from 'express';
import type { ChannelSettings } from '../config/config';
import type { Logger } from '../observability/logger';
import type { LifecycleGate } from '../orders/lifecycle/lifecycle-gate';
import type { OrderService } from '../orders/order.service';
import type { ChannelGate } from './channel-gate';
import type { ChannelMetrics } from './channel-metrics';
import type { ChannelRequest } from './channel-request-context';

/** What every adapter is built on; the composition root provides it once. */
export interface ChannelDependencies {
  /** The only way an adapter places orders. */
  gate: ChannelGate;
  /** The only way an adapter changes them afterwards (cancel, refund, address, stock). */
  lifecycle: LifecycleGate;
  metrics: ChannelMetrics;
  /** Reading orders (an answer's items). */
  orders: OrderService;
  settings: ChannelSettings;
  /** HS256 secret of bearer tokens (partner and admin callers). */
  jwtSecret: string;
  /** Largest JSON body (bytes). */
  bodyLimitBytes: number;
  logger: Logger;
}

/**
 * One door into Order Gate: it reads its source's format, authenticates the sender, translates each
 * order into a ChannelOrder with its identity, hands it to the gate, and answers in its source's
 * terms. Adding a channel means writing one adapter and listing it in CHANNEL_ADAPTERS.
 */
export interface ChannelAdapter {
  /** For logs and docs. */
  readonly name: string;
  /** Adds the adapter's routes (with their own body parsers) to the channels' router. */
  mount(router: Router, dependencies: ChannelDependencies): void;
}

/** The request facts an order carries into the gate (id, logger with the id). */
export function channelRequestOf(response: Response, logger: Logger): ChannelRequest {
  const requestId = response.locals['requestId'] as string;
  return { requestId, logger: logger.child({ requestId }) };
}
