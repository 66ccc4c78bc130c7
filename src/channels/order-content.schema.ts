import { z } from 'zod';
import { AT_LEAST_ONE_ITEM, MAX_LINE_QUANTITY, QUANTITY_RULE } from '../orders/order-request';
import { SHIPPING_ADDRESS_RULE } from '../orders/shipping-address-rule';
import { fieldPath } from '../request/field-path';
import type { OrderContent } from './channel-order';
import { jsonNumber } from './json-number';

/**
 * A line's units: a whole number of at least 1, in createOrder's words whatever refuses it (a missing
 * one is said by checkShape). How many is too many is createOrder's rule (MAX_LINE_QUANTITY, summed
 * per SKU), which says "At most 10000 units of SKU-1 per order." for 10 001 as for 2^53, 1e308 or
 * 1e400: zod's int bound (the safe-integer range) is left out, it gave QUANTITY_RULE ("a whole
 * number of at least 1") to 2^53, which is one. The document keeps `integer` and the real bound.
 */
const quantity = jsonNumber(
  z
    .number({ error: quantityRule })
    .min(1, { error: QUANTITY_RULE })
    .refine(Number.isInteger, { error: QUANTITY_RULE })
    .meta({ type: 'integer', maximum: MAX_LINE_QUANTITY }),
);

const item = {
  sku: z.string().describe('Product SKU; case and surrounding spaces are ignored, repeated SKUs are merged.'),
  quantity: quantity.describe(`Units. Lines of one SKU are summed, at most ${MAX_LINE_QUANTITY} units per SKU.`),
};

const address = {
  name: z.string().optional(),
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().optional(),
  postalCode: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2, any case.'),
};

/**
 * The JSON shape of what an order asks for, shared by the webhook and the REST API (and written
 * into the OpenAPI document from here, so the document cannot drift from what is checked). Only
 * the shape is checked here; the rules (SKU length, quantities, address fields, currency) are
 * createOrder's, applied by the guard's prepare step, so every door gets the same answers.
 * Fields beyond these, at any depth, are dropped: a marketplace's payload carries its own.
 */
export const orderContentShape = {
  currency: z.string().describe('ISO 4217 code, e.g. EUR; the catalog must sell every item in it.'),
  items: z.array(z.object(item)).min(1, { error: AT_LEAST_ONE_ITEM }),
  shippingAddress: z.object(address).optional().describe(SHIPPING_ADDRESS_RULE),
  confirmPossibleDuplicate: z
    .boolean()
    .optional()
    .describe(
      'Place the order although an equivalent recent one exists (the answer was POSSIBLE_DUPLICATE): send it with a new key.',
    ),
};

/**
 * The same shape refusing unknown fields inside items and the address too (wrap it in
 * z.strictObject for the top level): a partner's misspelt field ("line_2") is an error it sees,
 * not a flat number silently lost from the address.
 */
export const strictOrderContentShape = {
  ...orderContentShape,
  items: z.array(z.strictObject(item)).min(1, { error: AT_LEAST_ONE_ITEM }),
  shippingAddress: z.strictObject(address).optional().describe(SHIPPING_ADDRESS_RULE),
};

/** The first problem of a payload that does not have the shape: the field's path and a sentence. */
export interface ShapeProblem {
  field: string;
  message: string;
}

/** Checks a payload against a schema: the typed value, or the first problem. */
export function checkShape<T>(schema: z.ZodType<T>, payload: unknown): { value: T } | { problem: ShapeProblem } {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { value: parsed.data };
  // A misspelt field (`itms`) is both unknown and leaves the real one missing: name the cause.
  const { issues } = parsed.error;
  const issue = issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? issues[0];
  // An unknown field's issue points at the object that has it: name the field itself.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = fieldPath(path) || '(body)';
  return { problem: { field, message: sentenceOf(issue, field, valueAt(payload, issue.path)) } };
}

/**
 * What is wrong, in a sentence of this API's own: the rules' words where the schema gives them
 * (a quantity, an empty order: createOrder's, word for word), else one made from the issue, never
 * the schema library's wording ("Invalid input: expected int, received number").
 */
function sentenceOf(issue: z.core.$ZodIssue, field: string, value: unknown): string {
  if (issue.code === 'unrecognized_keys')
    return `${field} is not a field of this request (a misspelt name?): leave it out.`;
  if (issue.code === 'invalid_type' && value === undefined) return `${field} is required.`;
  if (!LIBRARY_WORDING.test(issue.message)) return issue.message;
  if (issue.code === 'invalid_type') return `${field} must be ${TYPE_NAMES[issue.expected] ?? issue.expected}.`;
  if (issue.code === 'too_small' || issue.code === 'too_big') return boundSentence(issue, field);
  return `${field} is not valid.`;
}

/** What a bounded string or list is counted in, for one and for several. */
const BOUND_UNITS: Partial<Record<string, [one: string, several: string]>> = {
  string: ['character', 'characters'],
  array: ['entry', 'entries'],
};

/**
 * A length the schema bounds, in this API's words: "orderId has at most 128 characters." (zod's:
 * "Too big: expected string to have <=128 characters"). A number's bound is its rule's to say
 * (the schema gives the rule as `error`): the safe-integer range zod adds to every int is no rule
 * of this API, and its figure (9007199254740991) would mislead.
 */
function boundSentence(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, field: string): string {
  const units = BOUND_UNITS[issue.origin];
  if (!units) return `${field} is not valid.`;
  const [side, limit] = issue.code === 'too_small' ? ['least', issue.minimum] : ['most', issue.maximum];
  return `${field} has at ${side} ${String(limit)} ${Number(limit) === 1 ? units[0] : units[1]}.`;
}

/** How zod's own messages begin; the rules' messages begin otherwise. */
const LIBRARY_WORDING = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

const TYPE_NAMES: Partial<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** The value at `path` in `payload`; undefined where nothing is. */
function valueAt(payload: unknown, path: readonly PropertyKey[]): unknown {
  let value = payload;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A quantity of the wrong type: createOrder's rule; a missing one is left to checkShape ("is required"). */
function quantityRule(issue: { input?: unknown }): string | undefined {
  return issue.input === undefined ? undefined : QUANTITY_RULE;
}

/** The content of a checked payload, as the gate takes it (absent optional fields left out). */
export function orderContentOf(payload: z.infer<z.ZodObject<typeof orderContentShape>>): OrderContent {
  return {
    currency: payload.currency,
    items: payload.items,
    shippingAddress: payload.shippingAddress ?? null,
    confirmPossibleDuplicate: payload.confirmPossibleDuplicate ?? false,
  };
}
