/**
 * The name of an input field in an answer's `field`, the one form every door uses: properties
 * joined by dots, list positions in brackets (`lines[0].quantity`, `shippingAddress.line2`), as
 * GraphQL names a variable's part. A REST body's problem and a GraphQL ValidationFailed about the
 * same input name it the same way, so a client maps both to its form with one rule.
 */
export function fieldPath(path: readonly PropertyKey[]): string {
  let name = '';
  for (const part of path) {
    if (typeof part === 'number') name += `[${part}]`;
    else name += name ? `.${String(part)}` : String(part);
  }
  return name;
}
