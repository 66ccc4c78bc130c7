/** A shipping address, with the fields of the order-record schema's `shippingAddress`. */
export interface ShippingAddress {
  name?: string | null;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  /** ISO 3166-1 alpha-2, any case. */
  country: string;
}

/** Spelled-out words and their common abbreviations, compared in abbreviated form. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  street: 'st',
  str: 'st',
  strasse: 'st',
  avenue: 'ave',
  av: 'ave',
  road: 'rd',
  boulevard: 'blvd',
  drive: 'dr',
  lane: 'ln',
  court: 'ct',
  place: 'pl',
  square: 'sq',
  terrace: 'ter',
  highway: 'hwy',
  parkway: 'pkwy',
  apartment: 'apt',
  suite: 'ste',
  floor: 'fl',
  building: 'bldg',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  number: 'no',
};

/** Words of an address line: lower case, accents and punctuation gone, abbreviations applied. */
export function addressTokens(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((token) => token.length > 0)
    .map((token) => ABBREVIATIONS[token] ?? token);
}

/** A postal code without case, spaces or punctuation: "sw1a 1aa", "SW1A-1AA" and "SW1A1AA" agree. */
export function normalizePostalCode(postalCode: string): string {
  return postalCode.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * The address as a comparable text, or null when there is none. Street lines are joined (a
 * reformatted address may move "Apt 4" between line1 and line2). The recipient's name and the
 * region are left out: the customer already scopes the comparison, and regions are written
 * both ways ("California", "CA") while city plus postal code already place the address.
 */
export function addressKey(address: ShippingAddress | null | undefined): string | null {
  if (!address) return null;
  const street = addressTokens(`${address.line1} ${address.line2 ?? ''}`).join(' ');
  const city = addressTokens(address.city).join(' ');
  return [street, city, normalizePostalCode(address.postalCode), address.country.trim().toUpperCase()].join('|');
}
