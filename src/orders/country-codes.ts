/**
 * The country codes an address may carry: the 249 codes ISO 3166-1 alpha-2 assigns, plus XK
 * (Kosovo), which ISO leaves user-assigned but the EU, carriers and payment processors use. A shape
 * check alone let `XX` or `UK` through, and an order no carrier can ship was stored as placed.
 */
const ASSIGNED = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO ' +
  'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE ' +
  'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO ' +
  'MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW ' +
  'PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM ' +
  'TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

export const COUNTRY_CODES: ReadonlySet<string> = new Set([...ASSIGNED, 'XK']);

/** Codes people type for a country that ISO spells otherwise (UK is reserved, never assigned). */
const SPELLED_OTHERWISE: Readonly<Record<string, string>> = { UK: 'GB' };

/**
 * Why a code (any case) is refused, naming the code meant where that is known; null when valid.
 * ASCII letters only: `'ıt'.toUpperCase()` is `IT`, and a dotless i is not a way to write Italy.
 */
export function countryCodeProblem(input: string): string | null {
  const code = /^[A-Za-z]{2}$/.test(input) ? input.toUpperCase() : '';
  if (COUNTRY_CODES.has(code)) return null;
  const meant = SPELLED_OTHERWISE[code];
  return meant
    ? `${code} is not an ISO 3166-1 alpha-2 code: the United Kingdom is ${meant}.`
    : 'The country must be an ISO 3166-1 alpha-2 code.';
}

/**
 * Countries and territories whose post uses no postal codes (the UPU's addressing information per
 * country): an address there has none to give, and a checkout that demands one gets `000` or `-`,
 * which the duplicate matcher would then compare as a postcode. Their postcode may be empty.
 */
const WITHOUT_POSTCODES: ReadonlySet<string> = new Set(
  (
    'AE AG AO AW BF BI BJ BO BS BW BZ CD CF CG CI CK CM DJ DM ER FJ GA GD GM GQ GY HK KI KM KN KP LY ML MO MR MW ' +
    'NR NU QA RW SB SC SL SR ST SY TD TF TG TK TL TO TV UG VU YE ZW'
  ).split(' '),
);

/** True when the country (an ISO code, any case) has no postal codes: an address there may leave the postcode empty. */
export function hasNoPostcodes(country: string): boolean {
  return WITHOUT_POSTCODES.has(country.trim().toUpperCase());
}
