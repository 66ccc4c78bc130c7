/** PostgreSQL's text cannot hold U+0000: a NUL would fail the statement, so it is a wrong input instead. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000');
}
