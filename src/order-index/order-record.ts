import type { SalesChannel } from '../db/generated/enums';
import { isStorableText, UNSTORABLE_CHARACTERS } from '../db/storable-text';
import type { ShippingAddress } from '../dedupe/shipping-address';
import type { OrderStatus } from '../orders/order.type';
import { fieldPath } from '../request/field-path';
import { compileContractSchema, firstSchemaProblem } from './contract-validator';
import orderRecordSchema from './contract/order-record.schema.json';

/** One line of an import file (../shared/contract/order-record.schema.json, copied in ./contract). */
export interface OrderRecord {
  externalId: string;
  channel: SalesChannel;
  customerId: string;
  createdAt: string;
  currency: string;
  idempotencyKey?: string;
  status?: OrderStatus;
  items: { sku: string; quantity: number; unitPriceCents?: number }[];
  shippingAddress?: ShippingAddress;
  email?: string;
  phone?: string;
}

const validateRecord = compileContractSchema<OrderRecord>(orderRecordSchema);

/** The record of one line, or why the line is not one. */
export function parseOrderRecordLine(line: string): { record: OrderRecord } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'not valid JSON' };
  }
  if (validateRecord(value)) {
    const unstorable = unstorableTextAt(value, []);
    return unstorable ? { problem: `${fieldPath(unstorable)}: holds a ${UNSTORABLE_CHARACTERS}` } : { record: value };
  }
  return { problem: firstSchemaProblem(validateRecord, 'record') };
}

/** Where a record holds text PostgreSQL cannot store as sent (isStorableText), as the path's parts; null when nowhere. */
function unstorableTextAt(value: unknown, where: readonly (string | number)[]): (string | number)[] | null {
  if (typeof value === 'string') return isStorableText(value) ? null : [...where];
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, member] of Object.entries(value)) {
    const found = unstorableTextAt(member, [...where, Array.isArray(value) ? Number(key) : key]);
    if (found) return found;
  }
  return null;
}
