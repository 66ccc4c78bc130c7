import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One Ajv (JSON Schema 2020-12, formats) for the contract's JSON schemas in ./contract. */
const ajv = new Ajv2020({ allErrors: false, strict: false });
addFormats(ajv);

/** A validator of one of the contract's schemas. */
export function compileContractSchema<T>(schema: object): ValidateFunction<T> {
  return ajv.compile<T>(schema);
}

/**
 * The first thing a failed validation found, in a line an operator reads: the dotted path
 * (`items.0.quantity`, or `root` for the whole value) and Ajv's message, with the extra property's
 * name when one is not allowed.
 */
export function firstSchemaProblem(validate: ValidateFunction, root: string): string {
  const error = validate.errors?.[0];
  const where = error?.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : root;
  const extra = error?.keyword === 'additionalProperties' ? ` (${String(error.params['additionalProperty'])})` : '';
  return `${where}: ${error?.message ?? 'invalid'}${extra}`;
}
