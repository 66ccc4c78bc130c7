import { normalizeSku } from '../../catalog/sku';
import { compareText } from '../order-request';
import { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from './change-answers';
import type { RefundOrderArgs } from './lifecycle.args';
import type { RefundRequest } from './order-lifecycle.service';
import { idArgument, LifecyclePolicy } from './lifecycle-policy';
import type { RefundOrderResult } from './results/lifecycle-results.union';

/** How refundOrder takes part in idempotency: the order and the amount (or the lines, sorted) are its request. */
export class RefundOrderIdempotency extends LifecyclePolicy<RefundOrderArgs, RefundOrderResult, RefundRequest> {
  constructor(answers: ChangeAnswers) {
    super('refundOrder', answers);
  }

  protected parse(args: RefundOrderArgs): RefundRequest | ValidationFailed {
    const { amountCents, lines } = args;
    const orderId = idArgument('orderId', args.orderId);
    if (orderId instanceof ValidationFailed) return orderId;
    if ((amountCents == null) === (lines == null || lines.length === 0))
      return new ValidationFailed('amountCents', 'Give either amountCents or lines.');
    if (amountCents != null)
      return amountCents > 0
        ? { orderId, amountCents, lines: null }
        : new ValidationFailed('amountCents', 'A refund is more than 0 cents.');
    const parsed = lines!.map((line) => ({ sku: normalizeSku(line.sku), quantity: line.quantity }));
    if (parsed.some((line) => !Number.isInteger(line.quantity) || line.quantity < 1))
      return new ValidationFailed('lines.quantity', 'A refunded quantity is 1 or more.');
    if (new Set(parsed.map((line) => line.sku)).size !== parsed.length)
      return new ValidationFailed('lines.sku', 'Each SKU at most once.');
    return { orderId, amountCents: null, lines: parsed.sort((a, b) => compareText(a.sku, b.sku)) };
  }
}
