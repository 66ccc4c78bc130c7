/**
 * Answers this build of the SDK does not know. The schema may add members to a result union (the
 * contract allows it), and an installed app meets them before it is updated: such an answer is an
 * outcome with the key, never an exception and never a retry under a new key.
 */

/**
 * The server answered with a union member this SDK does not know (`typename`, e.g.
 * 'PaymentRequired'). Whether an order or change came of it is unknown to the SDK, so it does not
 * retry: do not start the intent again under a new key (that could make a second order); retrying
 * with the same key is safe. `data`: the answer as received (only `__typename` when the SDK's
 * operation selects none of its fields).
 */
export interface UnrecognizedAnswer {
  kind: 'UnrecognizedAnswer';
  typename: string;
  data: unknown;
}

/**
 * Every member of a result union, by name: a record over the generated union's `__typename`, so a
 * member added to the schema (and `npm run codegen`) fails the build where the list is written
 * until it is named there, and a name the union lacks fails it too.
 */
export type MemberNames<T extends { __typename: string }> = Readonly<Record<T['__typename'], true>>;

/**
 * Whether `value` is a union member at all (an object with a `__typename`), whichever. A 2xx whose
 * field is missing, null or no such object is no answer (MALFORMED_RESPONSE), not a member.
 */
export function isUnionMember(value: unknown): value is { __typename: string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { __typename?: unknown }).__typename === 'string'
  );
}

/** Whether `value` is a member this SDK knows, by its `__typename`. */
export function isKnownMember<T extends { __typename: string }>(
  value: { __typename: string },
  members: MemberNames<T>,
): value is T {
  return Object.prototype.hasOwnProperty.call(members, value.__typename);
}

/** The failure for an answer no case of the SDK handles. */
export function unrecognizedAnswer(value: { __typename: string }): UnrecognizedAnswer {
  return { kind: 'UnrecognizedAnswer', typename: value.__typename, data: value };
}
