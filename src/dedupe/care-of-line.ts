import { foldedWords } from './text-folding';
import type { ShippingAddress } from './shipping-address';

/**
 * A care-of line ("c/o Acme Corp", "C/O ACME CORPORATION", "Care of Acme", "℅ Acme") names who takes
 * the parcel in, not where it goes: one order with it and its retyping without it are one address
 * (found from outside, 2026-12-05). Both with one, the two must name the same receiver, legal forms
 * aside ("Corp" / "Corporation"); else the lines are compared as written.
 */
const CARE_OF = /^\s*(?:c\s*\/\s*o|c\.\s*o\.|care\s+of|\u2105)(?![\p{L}\p{N}])/iu;

/** Legal forms of a company, which people write or leave out (USPS Publication 28 keeps them as written). */
const LEGAL_FORMS: ReadonlySet<string> = new Set([
  'corp',
  'corporation',
  'inc',
  'incorporated',
  'co',
  'company',
  'ltd',
  'limited',
  'llc',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'srl',
  'bv',
  'pty',
]);

interface CareOfReading {
  address: ShippingAddress;
  /** The receiver's words, legal forms left out; null when no line is a care-of line. */
  receiver: string | null;
}

function careOfRead(address: ShippingAddress): CareOfReading {
  const lines = [address.line1, address.line2 ?? ''];
  const index = lines.findIndex((line) => CARE_OF.test(line));
  if (index < 0) return { address, receiver: null };
  const rest = lines.filter((_line, other) => other !== index);
  const receiver = foldedWords(lines[index].replace(CARE_OF, ''))
    .filter((word) => !LEGAL_FORMS.has(word))
    .join(' ');
  return { address: { ...address, line1: rest[0], line2: null }, receiver };
}

/**
 * Both addresses without their care-of lines when one has none or both name the same receiver,
 * else null (compare as written). A care-of line alone, with no street beside it, stays.
 */
export function withoutCareOf(a: ShippingAddress, b: ShippingAddress): [ShippingAddress, ShippingAddress] | null {
  const [left, right] = [careOfRead(a), careOfRead(b)];
  if (left.receiver === null && right.receiver === null) return null;
  if (left.address.line1.trim() === '' || right.address.line1.trim() === '') return null;
  if (left.receiver !== null && right.receiver !== null && left.receiver !== right.receiver) return null;
  return [left.address, right.address];
}
