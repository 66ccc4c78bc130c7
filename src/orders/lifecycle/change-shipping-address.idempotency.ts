import type { ShippingAddress } from '../../dedupe/shipping-address';
import { canonicalShippingAddress, shippingAddressProblem } from '../order-request';
import { ValidationFailed } from '../results/validation-failed.type';
import type { ChangeAnswers } from './change-answers';
import type { ChangeShippingAddressArgs } from './lifecycle.args';
import type { AddressRequest } from './order-lifecycle.service';
import { checked, idArgument, LifecyclePolicy } from './lifecycle-policy';
import type { RefusedChange } from './lifecycle-policy';
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

  protected parse(args: ChangeShippingAddressArgs): AddressRequest | ValidationFailed | RefusedChange<AddressRequest> {
    const { address } = args;
    const orderId = idArgument('orderId', args.orderId);
    if (orderId instanceof ValidationFailed) return orderId;
    const canonical = canonicalShippingAddress(address) as ShippingAddress & { [field: string]: string };
    const problem = shippingAddressProblem(address);
    const refusal = problem && new ValidationFailed(fieldPath(['address', problem.field]), problem.message);
    return checked({ orderId, address: { ...canonical } }, refusal);
  }
}
