import { GERMAN_SPEAKING } from './address-profile';
import type { AddressProfile } from './address-profile';
import { typedFor } from './address-words';

/**
 * German streets told apart by one of a pair of opposite words before the same name: "Alte
 * Straße" / "Neue Straße", "Obere Hauptstraße" / "Untere Hauptstraße", "Vordere Gasse" / "Hintere
 * Gasse". A short word before a long shared one leaves the two spellings alike ("oberehauptstrasse"
 * and "unterehauptstrasse" are 83 % alike, and "obere" + "hauptstrasse" read as a space lost before
 * "hauptstrasse"), so such a pair was held as one street (outside look-alikes, second round).
 */

/** Stems of the opposites, each group one set of places: old and new, upper, middle and lower … */
const OPPOSITES: readonly (readonly string[])[] = [
  ['alt', 'neu'],
  ['ober', 'mittler', 'unter'],
  ['gross', 'klein'],
  ['vorder', 'mittler', 'hinter'],
  ['inner', 'ausser'],
];

/** The adjective's endings: "Alte", "Alter", "Alten", "Altes", "Altem" are one word declined. */
const ENDINGS = ['', 'e', 'er', 'en', 'es', 'em'];

/** Every declined form, folded ("große" → "grosse", "äußere" → "aussere"), with its group and stem. */
const FORMS: readonly { form: string; group: number; stem: string }[] = OPPOSITES.flatMap((stems, group) =>
  stems.flatMap((stem) => ENDINGS.map((ending) => ({ form: stem + ending, group, stem }))),
);

/**
 * The opposites a street's words say, as group and stem: a declined form, or one of five letters
 * or more typed with one typo, its first letter right ("Untre"). Another ending of the same word
 * ("Alte" / "Alter") is the same stem, a retyping.
 */
function oppositesOf(words: readonly string[]): Map<number, string> {
  const found = new Map<number, string>();
  for (const word of words) {
    const exact = FORMS.filter((candidate) => candidate.form === word);
    const typed =
      exact.length === 0 && word.length >= 5
        ? FORMS.filter((candidate) => candidate.form.length >= 5 && typedFor(word, candidate.form))
        : exact;
    for (const { group, stem } of typed) if (!found.has(group)) found.set(group, stem);
  }
  return found;
}

/** Both streets say an opposite of the same group and the two differ: "Alte" / "Neue", "Obere" / "Untere". */
export function otherGermanOpposite(a: AddressProfile, b: AddressProfile): boolean {
  if (!GERMAN_SPEAKING.has(a.country) || a.country !== b.country) return false;
  const [left, right] = [oppositesOf(a.streetAsWrittenWords), oppositesOf(b.streetAsWrittenWords)];
  return [...left].some(([group, stem]) => right.has(group) && right.get(group) !== stem);
}
