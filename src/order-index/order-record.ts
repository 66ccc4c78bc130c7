import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { SalesChannel } from '../db/generated/enums';
import { isStorableText, UNSTORABLE_CHARACTERS } from '../db/storable-text';
import type { ShippingAddress } from '../dedupe/shipping-address';
import type { OrderStatus } from '../orders/order.type';
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

const ajv = new Ajv2020({ allErrors: false, strict: false });
addFormats(ajv);
const validateRecord = ajv.compile<OrderRecord>(orderRecordSchema);

/** The record of one line, or why the line is not one. */
export function parseOrderRecordLine(line: string): { record: OrderRecord } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'not valid JSON' };
  }
  if (validateRecord(value)) {
    const unstorable = unstorableTextAt(value, 'record');
    return unstorable ? { problem: `${unstorable}: holds a ${UNSTORABLE_CHARACTERS}` } : { record: value };
  }
  const error = validateRecord.errors?.[0];
  const where = error?.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : 'record';
  const extra = error?.keyword === 'additionalProperties' ? ` (${String(error.params['additionalProperty'])})` : '';
  return { problem: `${where}: ${error?.message ?? 'invalid'}${extra}` };
}

/** Where a record holds text PostgreSQL cannot store as sent (isStorableText), as a dotted path; null when nowhere. */
function unstorableTextAt(value: unknown, where: string): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : where;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, member] of Object.entries(value)) {
    const found = unstorableTextAt(member, where === 'record' ? key : `${where}.${key}`);
    if (found) return found;
  }
  return null;
}
