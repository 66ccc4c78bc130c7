import type { AddressProfile } from './address-profile';

/**
 * Greek addresses leave out the type of a plain street (οδός): "Καψή 221" is Οδός Καψή. A square
 * or a side street named after the same person is another place and says so: "Πλατεία Καψή" is
 * the square, "Πάροδος Καψή" a side street off Οδός Καψή. Not λεωφόρος, whose type is often left
 * out in everyday use ("Κηφισίας 100" for Λεωφόρος Κηφισίας): it may stand on one side only.
 */
const TYPES_LEFT_OUT: ReadonlySet<string> = new Set(['street', 'avenue']);

/**
 * In Greece, a street type other than οδός and λεωφόρος on one side only ("Πλ. Αθανασιάδη" /
 * "Αθανασίου", "Παρ. Καψή" / "Καψή"): another street, however alike the names. Unless the side
 * without a type has a word more, which may be the type typed too badly to read ("Πλατεε Δάβη").
 */
export function otherGreekStreetKind(a: AddressProfile, b: AddressProfile): boolean {
  if (a.country !== 'GR' || b.country !== 'GR') return false;
  return kindOnOneSide(a, b) || kindOnOneSide(b, a);
}

function kindOnOneSide(typed: AddressProfile, bare: AddressProfile): boolean {
  return (
    bare.streetTypes.size === 0 &&
    bare.nameWords.length <= typed.nameWords.length &&
    [...typed.streetTypes].some((type) => !TYPES_LEFT_OUT.has(type))
  );
}
