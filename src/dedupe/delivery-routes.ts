/**
 * US delivery kinds other than a street, as USPS Publication 28 writes them (section 2): a rural
 * route ("RR 2 Box 45"), a highway contract route ("HC 2 Box 45"), a military post office's postal
 * service center or common mail room ("PSC 2 Box 45", "CMR 450 Box 12"). Each is its own kind of
 * delivery, as a street type is (address-vocabulary.ts): "RR 2 Box 45" and "HC 2 Box 45" are two
 * routes, "Rural Route 2" is "RR 2". Found from outside (2026-12-05, third round), where the three
 * were held as one.
 */
export const DELIVERY_ROUTES: Readonly<Record<string, readonly string[]>> = {
  ruralroute: ['rr', 'rfd'],
  highwaycontract: ['hc'],
  postalservicecenter: ['psc'],
  commonmailroom: ['cmr'],
};

/** The words written out, folded, and their one-word abbreviation: "rural route" is "rr". */
const WRITTEN_OUT: readonly [RegExp, string][] = [
  [/\brural (?:route|delivery)\b/g, 'rr'],
  [/\bhighway contract(?: route)?\b/g, 'hc'],
  [/\bpostal service center\b/g, 'psc'],
  [/\bcommon mail room\b/g, 'cmr'],
];

/** Folded text with a delivery route written out as its abbreviation ("rural route 2" → "rr 2"). */
export function deliveryRoutesAbbreviated(folded: string): string {
  if (!/\b(?:rural|highway|postal|common)\b/.test(folded)) return folded;
  return WRITTEN_OUT.reduce((text, [pattern, abbreviation]) => text.replace(pattern, abbreviation), folded);
}
