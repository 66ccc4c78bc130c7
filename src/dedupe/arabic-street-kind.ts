import type { AddressProfile } from './address-profile';
import { resolveWord } from './address-words';
import { typoDistance } from './string-similarity';
import { TYPOS_IN_A_WORD } from './word-endings';

const ARABIC = /\p{sc=Arabic}/u;

/**
 * In Arabic, the kind of street is a word of its own before the name (شارع, ساحة, جادة, درب,
 * طريق …), and one name often serves several kinds: "ساحة وليد" is the square, "جادة وليد" the
 * avenue named after the same man. Both name a type and no type is shared: another street, however
 * alike the rest is spelled — the type and the name are short, so two of the few letters of a type
 * put for others leave the whole spelling alike ("ساحةوليد" / "جادةوليد", 0.75). A type typed too
 * badly to read is a name word, so a retyping is told apart only by two readable types that differ.
 * Arabic only: in Latin script a type is often glued to the name or mistyped into another type
 * ("Schloßctr."), where the same rule cost more true duplicates than it saved (eighth round).
 */
export function otherArabicStreetKind(a: AddressProfile, b: AddressProfile): boolean {
  if (!ARABIC.test(a.streetAsWritten.plain) || !ARABIC.test(b.streetAsWritten.plain)) return false;
  const [left, right] = [typesWritten(a), typesWritten(b)];
  if (left.length === 0 || right.length === 0) return false;
  return !left.some((type) => right.includes(type)) || deadEndOnOneSide(a, b) || deadEndOnOneSide(b, a);
}

/**
 * "مسدود" (closed) after "طريق" (a road) makes the phrase for a dead end, "طريق مسدود", as
 * "impasse" does in French and "тупик" in Russian: a kind of street of its own, not the road of the
 * same name ("طريق مسدود سامح" is not "درب، طريق سماح"). The word is glued to the name at times
 * ("مسدودسامح") and typed with slips like any other, so the other side is another street only when
 * none of its words may be the word typed again (its start within two typos of it).
 */
const CLOSED = 'مسدود';

function deadEndOnOneSide(said: AddressProfile, other: AddressProfile): boolean {
  const words = said.streetAsWrittenWords;
  const says = words.some(
    (word, index) => index > 0 && word.startsWith(CLOSED) && resolveWord(words[index - 1]).text === 'road',
  );
  return says && !other.streetAsWrittenWords.some(mayBeClosed);
}

/** A word whose start is within two typos of "مسدود" ("مسدد", "مسوددسامح"). */
function mayBeClosed(word: string): boolean {
  for (let length = 1; length <= CLOSED.length + TYPOS_IN_A_WORD; length++)
    if (typoDistance(word.slice(0, length), CLOSED) <= TYPOS_IN_A_WORD) return true;
  return false;
}

/**
 * Every type the street's words say, also when no name word is left: "درب، طريق الغربي" (a lane,
 * a road, "the western") is a lane and a road, though the profile keeps only its last type then.
 */
function typesWritten(side: AddressProfile): string[] {
  return side.streetAsWrittenWords.map(resolveWord).flatMap((word) => (word.kind === 'type' ? [word.text] : []));
}
