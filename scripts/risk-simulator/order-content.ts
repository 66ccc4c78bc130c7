import type { Random } from './random';
import type { SimulatedAddress } from './history-rows';

/**
 * What a simulated order asks for, and the simulator's own idea of "the same order": a signature
 * of currency, lines and address that copies, reformatted copies and copies typed again with one
 * slip all keep (today's rule tolerates a slip in the street since the typo-tolerant matcher of
 * issue 12). It is written from how people and systems resend orders, not from the matcher's tables.
 */
export interface OrderContent {
  currency: string;
  items: { sku: string; quantity: number }[];
  address: SimulatedAddress | null;
  /** Equal for orders today's rule treats as equivalent. */
  signature: string;
}

/** How a resent order differs from the first one. */
export type ResendVariant = 'exact' | 'reformatted' | 'retyped';

const STREETS = [
  'Baker',
  'Elm',
  'Church',
  'Mill',
  'Station',
  'Victoria',
  'Garden',
  'Park',
  'Bridge',
  'Chapel',
  'Queen',
  'Hill',
];
const CITIES: readonly (readonly [string, string, string])[] = [
  ['London', 'SW1A 1AA', 'GB'],
  ['Leeds', 'LS1 4AP', 'GB'],
  ['Bristol', 'BS1 5TR', 'GB'],
  ['Dublin', 'D02 X285', 'IE'],
  ['Cork', 'T12 RW26', 'IE'],
  ['Manchester', 'M1 1AE', 'GB'],
];

export function skuRange(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
}

export function randomAddress(random: Random): SimulatedAddress {
  const [city, postalCode, country] = random.pick(CITIES);
  return { line1: `${random.int(1, 240)} ${random.pick(STREETS)} Street`, city, postalCode, country };
}

export function randomCart(random: Random, skus: readonly string[], maxLines = 3): OrderContent['items'] {
  const lines = new Map<string, number>();
  const wanted = random.int(1, maxLines);
  while (lines.size < Math.min(wanted, skus.length)) lines.set(random.pick(skus), random.int(1, 3));
  return [...lines].map(([sku, quantity]) => ({ sku, quantity }));
}

export function contentOf(
  currency: string,
  items: OrderContent['items'],
  address: SimulatedAddress | null,
): OrderContent {
  const lines = [...items].sort((a, b) => (a.sku < b.sku ? -1 : 1)).map((line) => `${line.sku}x${line.quantity}`);
  const where = address ? `${address.line1}|${address.city}|${address.postalCode}` : 'none';
  return { currency, items, address, signature: `${currency}|${lines.join(',')}|${where}` };
}

/** The same order sent again: copied, re-rendered by another client, or typed again by a person. */
export function resend(random: Random, content: OrderContent, variant: ResendVariant): OrderContent {
  const items = random.chance(0.5) ? [...content.items].reverse() : content.items.map((line) => ({ ...line }));
  if (variant === 'exact' || !content.address) return { ...content, items };
  if (variant === 'reformatted') return { ...content, items, address: reformatted(random, content.address) };
  return { ...content, items, address: { ...content.address, line1: mistyped(random, content.address.line1) } };
}

/**
 * A neighbour's address: the same street, city and postcode, another house number. An honest
 * order of the same cart sent there (a gift, the office next door) is alike but not the same
 * order: the matcher's similarity falls below 1, and training sees similarity vary.
 */
export function neighbour(random: Random, address: SimulatedAddress): SimulatedAddress {
  const [number, ...street] = address.line1.split(' ');
  const other = Number(number) + random.pick([-1, 1]) * random.int(1, 20);
  return { ...address, line1: [other > 0 ? other : Number(number) + 21, ...street].join(' ') };
}

/** Another client's rendering: abbreviations, letter case, postcode spacing. */
function reformatted(random: Random, address: SimulatedAddress): SimulatedAddress {
  return {
    line1: random.chance(0.6) ? address.line1.replace(/ Street$/, ' St.') : address.line1.toUpperCase(),
    city: random.chance(0.5) ? address.city.toUpperCase() : address.city,
    postalCode: random.chance(0.5) ? address.postalCode.replace(' ', '').toLowerCase() : address.postalCode,
    country: address.country,
  };
}

/** One slip in the street name: a letter dropped, doubled, swapped with its neighbour or replaced. */
function mistyped(random: Random, line1: string): string {
  const [number, street, ...rest] = line1.split(' ');
  const word = street;
  const at = random.int(1, word.length - 2);
  const slips = [
    () => word.slice(0, at) + word.slice(at + 1),
    () => word.slice(0, at) + word[at] + word.slice(at),
    () => word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2),
    () => word.slice(0, at) + random.pick(['a', 'e', 'o', 'r', 'n']) + word.slice(at + 1),
  ];
  let typed = random.pick(slips)();
  if (typed === word) typed = word.slice(0, at) + word.slice(at + 1);
  return [number, typed, ...rest].join(' ');
}
