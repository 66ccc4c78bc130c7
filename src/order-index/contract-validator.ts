import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fieldPath } from '../request/field-path';

/** One Ajv (JSON Schema 2020-12, formats) for the contract's JSON schemas in ./contract. */
const ajv = new Ajv2020({ allErrors: false, strict: false });
addFormats(ajv);

/** A validator of one of the contract's schemas. */
export function compileContractSchema<T>(schema: object): ValidateFunction<T> {
  return ajv.compile<T>(schema);
}

/**
 * The first thing a failed validation found, in a line an operator reads: the field as every
 * answer names one (`items[0].quantity`, fieldPath; `root` for the whole value) and Ajv's message,
 * with the extra property's name when one is not allowed.
 */
export function firstSchemaProblem(validate: ValidateFunction, root: string): string {
  const error = validate.errors?.[0];
  const where = error?.instancePath ? fieldPath(pointerParts(error.instancePath)) : root;
  const extra = error?.keyword === 'additionalProperties' ? ` (${String(error.params['additionalProperty'])})` : '';
  return `${where}: ${error?.message ?? 'invalid'}${extra}`;
}

/**
 * The parts of a JSON Pointer (`/items/0/quantity`), a list position as a number: the contract's
 * objects have no property named by digits alone, so such a part is always an array's index.
 */
function pointerParts(pointer: string): (string | number)[] {
  return pointer
    .slice(1)
    .split('/')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
}
