/**
 * Characters that no address or name holds, but that change how the text around them is shown:
 * C0 and C1 controls with DEL (a bell, an ANSI colour sequence's ESC, a line break or a tab inside
 * a field, NUL), the line and paragraph separators, and the bidirectional embeddings, overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069), with which "4 Baker \u202eteertS" is displayed as
 * "4 Baker Street" on a label and in a review of a held order, and the interlinear annotation
 * marks (U+FFF9–U+FFFB), which hide the text between them. Not the invisible characters that
 * real text needs: zero-width joiners and non-joiners (Persian and Indic words, emoji), the
 * left-to-right, right-to-left and Arabic letter marks (which place a number in right-to-left
 * text and reorder nothing else), no-break spaces, the soft hyphen.
 */
const NOT_PRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]/u;

/** The line breaks (\n, \r\n) and tabs of text typed in a textarea; a carriage return alone is not one. */
const LINE_BREAKS_AND_TABS = /\r\n|[\n\t]/g;

const NOT_PRINTABLE_BUT_CONTROLS =
  'a line or paragraph separator, a bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), or an interlinear annotation mark (U+FFF9–U+FFFB)';

/** What firstUnprintable refuses, as the answers that refuse text say it: "none of them …" this. */
export const UNPRINTABLE_CHARACTERS = `a control character (U+0000–U+001F, U+007F–U+009F), ${NOT_PRINTABLE_BUT_CONTROLS}`;

/** What firstUnprintable refuses in free text (`{ lineBreaksAndTabs: true }`), said as UNPRINTABLE_CHARACTERS. */
export const UNPRINTABLE_IN_FREE_TEXT = `a control character other than a line break (\\n, \\r\\n) or a tab (U+0000–U+001F, U+007F–U+009F), ${NOT_PRINTABLE_BUT_CONTROLS}`;

export interface PrintableTextOptions {
  /**
   * Whether line breaks (\n, \r\n) and tabs are text: free text an admin types in a textarea (a
   * reason). Default false: a field of one line (a name, an address line).
   */
  readonly lineBreaksAndTabs?: boolean;
}

/** The first character of the text that printable text may not hold, as "U+0007"; null when there is none. */
export function firstUnprintable(text: string, options: PrintableTextOptions = {}): string | null {
  const checked = options.lineBreaksAndTabs ? text.replace(LINE_BREAKS_AND_TABS, '') : text;
  const found = NOT_PRINTABLE.exec(checked);
  return found ? `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/** Something that shows: a letter, a digit, punctuation or a symbol. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
/** The Hangul fillers and the Braille blank, a letter and a symbol to Unicode that show as nothing. */
const SHOWS_NOTHING = /[\u115f\u1160\u3164\uffa0\u2800]/gu;

/**
 * Whether a text shows nothing: only spaces, format characters (zero-width space, joiners,
 * direction marks, soft hyphen), marks on nothing, or fillers. JavaScript's trim leaves those, so
 * a required field of a zero-width space or U+3164 was "not blank" though nothing is printed.
 */
export function isBlank(text: string): boolean {
  return !VISIBLE.test(text.replace(SHOWS_NOTHING, ''));
}
