import type { AddressProfile } from './address-profile';
import { GERMAN_SPEAKING } from './address-profile';

/**
 * German streets named after a place by a preposition and its article ("Im Friedenstal", "Am
 * Markt", "Auf'm Kamp", "Zur Mühle": the old field or spot the street runs through) carry no street
 * type; one named after the same place with a type ("Friedensstraße", "Marktweg") is another
 * street — both often exist side by side, the one built along the other. Folded words.
 */
const PLACE_PREPOSITIONS: ReadonlySet<string> = new Set([
  ...['am', 'an', 'auf', 'aufm', 'im', 'in', 'zum', 'zur', 'beim', 'bei'],
  ...['hinter', 'hinterm', 'unter', 'unterm', 'vor', 'vorm', 'uber', 'uberm', 'ueber', 'ueberm'],
]);

/**
 * In a German-speaking country, one side a street named by a preposition without any type, the
 * other a street with a type and no such preposition ("Im Friedenstal" / "Friedensstr."): another
 * street, however alike the names. A retyping keeps its preposition or loses it with nothing in
 * its place, and does not add a type where none was written.
 */
export function otherGermanPlaceStreet(a: AddressProfile, b: AddressProfile): boolean {
  if (!GERMAN_SPEAKING.has(a.country) || !GERMAN_SPEAKING.has(b.country)) return false;
  return namedByPreposition(a) !== namedByPreposition(b) && typedWithoutPreposition(a, b);
}

function namedByPreposition(side: AddressProfile): boolean {
  const first = side.streetAsWrittenWords[0];
  return first !== undefined && PLACE_PREPOSITIONS.has(first) && side.streetTypes.size === 0;
}

/** The side without the preposition names a street type and opens with no preposition of its own. */
function typedWithoutPreposition(a: AddressProfile, b: AddressProfile): boolean {
  const typed = namedByPreposition(a) ? b : a;
  return typed.streetTypes.size > 0 && !PLACE_PREPOSITIONS.has(typed.streetAsWrittenWords[0] ?? '');
}
