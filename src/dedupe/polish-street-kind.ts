import type { AddressProfile } from './address-profile';

/**
 * In Poland the kind opens the street as the postal convention abbreviates it: "ul." (ulica), "al."
 * (aleja), "pl." (plac), "os." (osiedle). "ul." is left out of the spelling (written or not at
 * will), so "ul. Długa" / "al. Długa" were one street; both written and different, they are two.
 * Third outside round (2026-12-05).
 */
export function polishKindsDiffer(a: AddressProfile, b: AddressProfile): boolean {
  if (a.country !== 'PL' || b.country !== 'PL') return false;
  const [x, y] = [POLISH_KINDS.get(a.openingWord), POLISH_KINDS.get(b.openingWord)];
  return x !== undefined && y !== undefined && x !== y;
}

const POLISH_KINDS: ReadonlyMap<string, string> = new Map([
  ...['ul', 'ulica'].map((word) => [word, 'ulica'] as const),
  ...['al', 'aleja'].map((word) => [word, 'aleja'] as const),
  ...['pl', 'plac'].map((word) => [word, 'plac'] as const),
  ...['os', 'osiedle'].map((word) => [word, 'osiedle'] as const),
]);
