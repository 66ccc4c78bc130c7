import { normalizeSku, SKU_RULE, validSku } from '../../catalog/sku';
import { isWholeNumberFrom, MAX_INT4 } from '../../db/int-range';
import { fieldPath } from '../../request/field-path';
import { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from './change-answers';
import type { RefundOrderArgs } from './lifecycle.args';
import type { RefundRequest } from './order-lifecycle.service';
import { checked, idArgument, LifecyclePolicy } from './lifecycle-policy';
import type { RefusedChange } from './lifecycle-policy';
import { sortedRefundLines } from './refund-record';
import type { RefundOrderResult } from './results/lifecycle-results.union';

/** What an amount to refund must be; the REST route says it too for a number no int check takes. */
export const REFUND_AMOUNT_RULE = `A refund is a whole number of cents from 1 to ${MAX_INT4}.`;
/** What a refund line's quantity must be (past it: more than the order's units, said apart). */
export const REFUNDED_QUANTITY_RULE = `A refunded quantity is a whole number from 1 to ${MAX_INT4}.`;

/**
 * How refundOrder takes part in idempotency: the order and the amount (or the lines) are its
 * request. The lines stay in the caller's order, so that a refusal names the line as sent
 * (`lines[1].sku`); the fingerprint reads them sorted, so the same lines in another order are the
 * same refund.
 */
export class RefundOrderIdempotency extends LifecyclePolicy<RefundOrderArgs, RefundOrderResult, RefundRequest> {
  constructor(answers: ChangeAnswers) {
    super('refundOrder', answers);
  }

  protected parse(args: RefundOrderArgs): RefundRequest | ValidationFailed | RefusedChange<RefundRequest> {
    const { amountCents, lines } = args;
    const orderId = idArgument('orderId', args.orderId);
    if (orderId instanceof ValidationFailed) return orderId;
    if ((amountCents == null) === (lines == null || lines.length === 0))
      return new ValidationFailed('amountCents', 'Give either amountCents or lines.');
    if (amountCents != null) {
      const refusal = isWholeNumberFrom(amountCents, 1)
        ? null
        : new ValidationFailed('amountCents', REFUND_AMOUNT_RULE);
      return checked({ orderId, amountCents, lines: null }, refusal);
    }
    const parsed = lines!.map((line) => ({ sku: normalizeSku(line.sku), quantity: line.quantity }));
    const request = { orderId, amountCents: null, lines: parsed };
    // A SKU no product can have is refused as createOrder refuses it, before the order is read.
    const badSku = lines!.findIndex((line) => validSku(line.sku) === null);
    if (badSku >= 0) return checked(request, new ValidationFailed(fieldPath(['lines', badSku, 'sku']), SKU_RULE));
    const outOfRange = parsed.findIndex((line) => !isWholeNumberFrom(line.quantity, 1));
    if (outOfRange >= 0) {
      const field = fieldPath(['lines', outOfRange, 'quantity']);
      return checked(request, new ValidationFailed(field, REFUNDED_QUANTITY_RULE));
    }
    const repeated = repeatedSkuAt(parsed);
    return checked(
      request,
      repeated >= 0 ? new ValidationFailed(fieldPath(['lines', repeated, 'sku']), 'Each SKU at most once.') : null,
    );
  }

  /** Sorted lines: the fingerprint refunds had when their lines were kept sorted (keys made then still repeat). */
  protected override canonical(request: RefundRequest): RefundRequest {
    return request.lines ? { ...request, lines: sortedRefundLines(request.lines) } : request;
  }
}

/** The place of the first line whose SKU an earlier line has, or -1. */
function repeatedSkuAt(lines: readonly { sku: string }[]): number {
  const seen = new Set<string>();
  for (const [index, line] of lines.entries()) {
    if (seen.has(line.sku)) return index;
    seen.add(line.sku);
  }
  return -1;
}
