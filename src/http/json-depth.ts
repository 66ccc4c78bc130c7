/**
 * The deepest nesting of arrays and objects a request's JSON may have (its body, or a `GET`'s
 * `variables` and `extensions`). Every walk over a request's values is recursive somewhere (Apollo's
 * and graphql-js's coercion, `JSON.stringify` of the variables for the response replay's key, the
 * idempotency fingerprint's canonical JSON), and a few thousand levels overflow the stack: an HTTP
 * 500 from inside Apollo, or worse, a guard's claim taken and never settled. No operation of this
 * API needs more than a handful of levels; 64 leaves room for any client and none for the stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Nested deeper than MAX_JSON_DEPTH: a 400 BAD_REQUEST (http-errors.ts), before anything walks it.
 * One per refusal, not a shared constant: body-parser decorates the error its `verify` throws.
 */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly clientMessage = `The request's JSON is nested deeper than ${MAX_JSON_DEPTH} levels.`;
  constructor() {
    super(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Throws JsonTooDeepError when the JSON text nests arrays and objects deeper than MAX_JSON_DEPTH, counting
 * brackets outside strings in one pass without parsing (and without recursion: it must not
 * overflow either). Malformed text is not its business: JSON.parse refuses that after.
 */
export function assertJsonDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
  }
}
