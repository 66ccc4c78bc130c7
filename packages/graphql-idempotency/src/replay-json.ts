/**
 * A replay (the answer a repeat gets, usually the resolver's result) as JSON, when it is not plain
 * JSON. An ORM entity often is not: a parent that lists its children, each pointing back to it (a
 * cycle), or a BigInt column, on which JSON.stringify throws. That happened after the mutation had
 * run: its claim was never completed, its repeats were told "in progress" for the whole lease, and
 * the first one after it ran the mutation again. Such a replay is written as a copy where each
 * BigInt is its decimal text (what GraphQL answers for it: a scalar serializes text) and each
 * reference back to an enclosing object is null, with the list of those references (`cycles`), by
 * which the reader puts them back. Plain JSON, the usual case, is written as before, at no cost.
 */

/** Where a reference back to an enclosing object was (its path in the replay), and that object's path. */
export type ReplayCycle = [at: (string | number)[], target: (string | number)[]];

/** The replay as JSON-safe data, with the references back that were cut; `cycles` is empty for a tree. */
export function acyclicReplay(replay: unknown): { replay: unknown; cycles: ReplayCycle[] } {
  const cycles: ReplayCycle[] = [];
  return { replay: copyOf(replay, '', [], new Map(), cycles), cycles };
}

/** What plainJson answers for a value JSON.stringify throws on (TypeError: a cycle, a BigInt). */
export const NOT_PLAIN_JSON = Symbol('not plain JSON');

/** `JSON.stringify(value)`, or NOT_PLAIN_JSON where it throws a TypeError (a cycle, a BigInt). */
export function plainJson(value: unknown): string | undefined | typeof NOT_PLAIN_JSON {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof TypeError) return NOT_PLAIN_JSON;
    throw error;
  }
}

/** `JSON.stringify(value)`, or, for a value it throws on (TypeError: a cycle or a BigInt), of its acyclic copy. */
export function replayJson(value: unknown): string | undefined {
  const plain = plainJson(value);
  if (plain !== NOT_PLAIN_JSON) return plain;
  const { replay, cycles } = acyclicReplay(value);
  return JSON.stringify([replay, cycles]);
}

/** Puts back, in a replay read from JSON, the references `cycles` lists (in place); the replay. */
export function restoreCycles(replay: unknown, cycles: readonly ReplayCycle[]): unknown {
  for (const [at, target] of cycles) {
    const holder = valueAt(replay, at.slice(0, -1)) as Record<string | number, unknown> | null;
    if (holder !== null && typeof holder === 'object') holder[at[at.length - 1]] = valueAt(replay, target);
  }
  return replay;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root;
  for (const step of path) value = (value as Record<string | number, unknown> | null)?.[step];
  return value;
}

/** JSON.stringify's view of `value` (toJSON, BigInt as text) with references to an ancestor cut. */
function copyOf(
  value: unknown,
  key: string,
  path: (string | number)[],
  ancestors: Map<object, (string | number)[]>,
  cycles: ReplayCycle[],
): unknown {
  let json = value;
  if (json !== null && typeof json === 'object' && typeof (json as { toJSON?: unknown }).toJSON === 'function')
    json = (json as { toJSON(key: string): unknown }).toJSON(key);
  if (typeof json === 'bigint') return json.toString();
  if (json === null || typeof json !== 'object') return json;
  const ancestor = ancestors.get(json);
  if (ancestor) {
    cycles.push([path, ancestor]);
    return null;
  }
  ancestors.set(json, path);
  const copy = Array.isArray(json)
    ? json.map((item: unknown, index) => copyOf(item, String(index), [...path, index], ancestors, cycles))
    : Object.fromEntries(
        Object.entries(json).map(([name, item]) => [name, copyOf(item, name, [...path, name], ancestors, cycles)]),
      );
  ancestors.delete(json);
  return copy;
}
