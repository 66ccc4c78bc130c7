import type { RiskCounts } from '../risk/risk-counters';
import type { CreateOrderResult } from './results/create-order-result.union';
import { OrderCreated } from './results/order-created.type';
import { PossibleDuplicate } from './results/possible-duplicate.type';

/**
 * What a placed attempt's answer adds to its sender's risk counters, as training's replay of the
 * audit log counts it: a hold or a flag is a `holds`, a confirmed hold (the client placed it anyway:
 * the hold was wrong) an `override`; anything else nothing. Retries are counted by riskObserver.
 */
export function placementFeedback(result: CreateOrderResult): Partial<RiskCounts> | null {
  if (result instanceof PossibleDuplicate) return { holds: 1 };
  if (!(result instanceof OrderCreated)) return null;
  if (result.semanticMatch === 'flagged') return { holds: 1 };
  return result.semanticMatch === 'confirmed' ? { overrides: 1 } : null;
}
