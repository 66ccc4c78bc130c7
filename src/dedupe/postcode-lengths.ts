/**
 * Countries whose postcodes are all digits of one length, from the UPU's postcode directory and the
 * national standards (USPS, Deutsche Post, La Poste, Posti, Posta Kenya, …). A code typed through a
 * spreadsheet loses its leading zeros ("00100" → "100", Helsinki and Nairobi): padded back to the
 * country's length it is the same code. Only countries with codes that open with a zero are listed:
 * elsewhere a short code is no lost zero.
 */
const POSTCODE_DIGITS: Readonly<Record<string, number>> = {
  // Five digits.
  US: 5,
  DE: 5,
  FR: 5,
  IT: 5,
  ES: 5,
  FI: 5,
  KE: 5,
  MX: 5,
  MY: 5,
  TR: 5,
  UA: 5,
  KR: 5,
  // Four digits.
  AU: 4,
  NZ: 4,
  NO: 4,
  ZA: 4,
  PH: 4,
  // Six digits.
  SG: 6,
  CN: 6,
};

/** The postcode with the leading zeros a spreadsheet took from it, where the country's codes are all digits of one length. */
export function withLeadingZeros(postcode: string, country: string): string {
  const digits = POSTCODE_DIGITS[country];
  return digits !== undefined && /^\d+$/.test(postcode) && postcode.length < digits
    ? postcode.padStart(digits, '0')
    : postcode;
}
