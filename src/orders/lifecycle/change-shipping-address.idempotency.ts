import type { ShippingAddress } from '../../dedupe/shipping-address';
import { parseShippingAddress } from '../order-request';
import { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from './change-answers';
import type { ChangeShippingAddressArgs } from './lifecycle.args';
import type { AddressRequest } from './order-lifecycle.service';
import { idArgument, LifecyclePolicy } from './lifecycle-policy';
import type { ChangeShippingAddressResult } from './results/lifecycle-results.union';
import { fieldPath } from '../../request/field-path';

/** How changeShippingAddress takes part in idempotency: the order and the address (trimmed) are its request. */
export class ChangeShippingAddressIdempotency extends LifecyclePolicy<
  ChangeShippingAddressArgs,
  ChangeShippingAddressResult,
  AddressRequest
> {
  constructor(answers: ChangeAnswers) {
    super('changeShippingAddress', answers);
  }

  protected parse(args: ChangeShippingAddressArgs): AddressRequest | ValidationFailed {
    const { address } = args;
    const orderId = idArgument('orderId', args.orderId);
    if (orderId instanceof ValidationFailed) return orderId;
    const parsed = parseShippingAddress(address);
    if ('field' in parsed) return new ValidationFailed(fieldPath(['address', parsed.field]), parsed.message);
    return { orderId, address: { ...(parsed as ShippingAddress & { [field: string]: string }) } };
  }
}
