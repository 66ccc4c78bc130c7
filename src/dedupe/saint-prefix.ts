import { SAINTS } from './address-vocabulary';
import type { AddressProfile } from './address-profile';
import { resolveWord, typedFor } from './address-words';
import { withinOneEdit } from './string-similarity';

/**
 * A saint before a street's name on one side only: "rue Saint-Denis" / "rue Denis", "St John
 * Street" / "John Street", "Sankt-Georg-Str." / "Georgstr." are two streets, the saint's and the
 * person's. "Saint" and "St" share the canonical word of "Street" (address-vocabulary.ts), so a
 * saint said on one side was read as a street type the other left out, and the two were held as
 * one street (outside look-alikes, second round).
 */

/** The saint's words that a retyping writes for it, abbreviated or not ("St-Denis", "S. Pedro", "Ste-Anne", "São"). */
const SAINT_WORDS: ReadonlySet<string> = new Set([...SAINTS, 'st', 's', 'sta', 'sto', 'sao', 'santo', 'sant']);

/** The canonical word "Saint" and "St" share with "Street". */
const STREET = 'street';

/**
 * The saints a street says before its name, as written: a spelling of "Saint" followed by a name
 * word ("Saint Denis", "Sankt Georg"), or "St" so followed where it opens the street or follows its
 * type ("St John Street", "rue St Denis"); after a name it is the type ("Main St Lower").
 */
function saintsBeforeName(words: readonly string[]): { saint: string; name: string }[] {
  return words.flatMap((word, index) => {
    const name = words[index + 1];
    const before = words[index - 1];
    const saying = SAINTS.has(word) || (word === 'st' && (before === undefined || resolveWord(before).kind === 'type'));
    return saying && name !== undefined && resolveWord(name).kind === 'name' ? [{ saint: word, name }] : [];
  });
}

/**
 * The other side still shows the saint: a word that is not a street type before the name, a word for it ("St" for "Saint"), the word that said it with
 * one typo, its first letter right ("Sanit"), "St" written out as "Street" before the name, a saint
 * glued to the name ("StDenis", "Saintdenis", "Sanktgeorgstr."), or to the street type before it by
 * a lost space ("RUESAINT-DENIS", "bdst-denis").
 */
function saintTraced(saint: string, name: string, other: readonly string[]): boolean {
  // A word other than a street type stands where the saint was: the saint mistyped past the
  // checks below ("Stait-Honoré", "SINI-JACQUES", "BST-BERNARD"), which tuning seed 3 at 5,500
  // customers showed as five French retypings missed; a dropped saint leaves the type or nothing.
  const at = other.findIndex((word) => word === name || withinOneEdit(word, name));
  if (at > 0 && resolveWord(other[at - 1]).kind !== 'type') return true;
  return other.some(
    (word, index) =>
      SAINT_WORDS.has(word) ||
      // "Street Johns Rd" for "St Johns Road": the saint's "St" written out as the type it also spells.
      (resolveWord(word).text === STREET && other[index + 1] !== undefined && withinOneEdit(other[index + 1], name)) ||
      (saint.length >= 3 && typedFor(word, saint)) ||
      [...SAINT_WORDS].some(
        (spelling) =>
          (word.startsWith(spelling) && (word.startsWith(spelling + name) || withinOneEdit(word, spelling + name))) ||
          (word.endsWith(spelling) && resolveWord(word.slice(0, -spelling.length)).kind === 'type'),
      ),
  );
}

/** A saint before the name on one side that the other side does not show at all: another street. */
export function droppedSaint(a: AddressProfile, b: AddressProfile): boolean {
  const dropped = (side: AddressProfile, other: AddressProfile) =>
    saintsBeforeName(side.streetAsWrittenWords).some(
      ({ saint, name }) => !saintTraced(saint, name, other.streetAsWrittenWords),
    );
  return dropped(a, b) || dropped(b, a);
}
