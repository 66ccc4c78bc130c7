/**
 * A character isStorableText refuses: a NUL, or half of a UTF-16 surrogate pair (with the `u` flag
 * a pair is one code point, a half alone a surrogate, Cs).
 */
// eslint-disable-next-line no-control-regex -- the NUL is what is looked for
const UNSTORABLE = /\u0000|\p{Cs}/u;
const EVERY_UNSTORABLE = new RegExp(UNSTORABLE, 'gu');

/**
 * Whether PostgreSQL stores the text exactly as sent; anything else is a wrong input. It cannot hold
 * U+0000: a NUL would fail the statement (SQLSTATE 22021). Half of a surrogate pair (a lone
 * `"\ud83d"`, which JSON lets a client write) is not Unicode text: a json column refuses it (22P02)
 * and a text column would keep U+FFFD in its place, silently another text than the one sent.
 */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** What isStorableText refuses, as the answers that refuse text say it: "none of them …" this. */
export const UNSTORABLE_CHARACTERS = 'NUL (U+0000) or half of a UTF-16 surrogate pair';

/**
 * The text with each character isStorableText refuses as U+FFFD: for a record of what a client sent
 * (the audit log keeps a malformed key), where refusing is not an answer.
 */
export function storableCopy(text: string): string {
  return text.replace(EVERY_UNSTORABLE, '\ufffd');
}
