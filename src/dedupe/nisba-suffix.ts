/**
 * Hebrew and Arabic make a family name of origin or descent with a closing yod or ya, the nisba
 * ("of"): ישראלי (Israeli) from ישראל, אבנרי from אבנר, שאולי from שאול; مصري from مصر, بغدادي from
 * بغداد. The name and its nisba are two families, as a Slavic family name and its feminine form are
 * two people (slavic-feminine-form.ts). A last letter dropped or added by a typo reads the same, so
 * like that rule it is used only where nothing else names the place: a house name without numbers.
 * Folded words (text-folding.ts). A name that ends in a Hebrew final letter changes it before the
 * suffix (אהרון / אהרוני): two edits, which a house name without numbers never forgives anyway.
 */

const NISBA_LETTERS: ReadonlySet<string> = new Set(['י', 'ي']);
/** A Hebrew or Arabic word of three letters or more: what a nisba is made from. */
const ABJAD_NAME = /^[\p{sc=Hebrew}\p{sc=Arabic}]{3,}$/u;

/** One word is the other with the nisba's letter after it (not its own last letter typed twice: "שבתי" / "שבתיי"). */
export function nisbaForm(a: string, b: string): boolean {
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  if (longer.length !== shorter.length + 1 || !NISBA_LETTERS.has(longer.at(-1)!)) return false;
  return shorter.at(-1) !== longer.at(-1) && longer.startsWith(shorter) && ABJAD_NAME.test(shorter);
}
