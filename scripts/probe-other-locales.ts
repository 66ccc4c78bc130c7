/**
 * npm run dedupe:probe -- [--locales nl,da,sk,…] [--pairs 2000] [--seed 4242]
 *
 * A rough check of the matcher outside the evaluation's eleven locales (npm run dedupe:evaluate):
 * faker's data for other languages, put together in the simplest way, one customer at a time:
 * - another street (same house number, city, postcode) and another city (same street and house,
 *   postcode missing on one side): hard negatives, counted when held;
 * - another given name with the same family name: a hard negative;
 * - the same street retyped with one or two typos (a letter dropped, doubled, swapped or put for
 *   another of its letters, never a word's first): a true duplicate, counted when missed.
 * The look-alikes are not filtered: a street drawn twice may be the same one under another kind
 * ("вулиця Рудного" / "вул. Рудного"), so a held pair is not always a false hold. Read the examples.
 * It found rules, it does not measure them: the frozen seeds do (docs/duplicates.md).
 */
import { allFakers } from '@faker-js/faker';
import type { Faker } from '@faker-js/faker';
import { compareAddresses } from '../src/dedupe/address-comparison';
import type { ShippingAddress } from '../src/dedupe/shipping-address';
import { parseCommandLine } from '../src/cli/command-line';
import { integerOption, listOption } from '../src/cli/option-values';

const HELP = {
  usage: 'npm run dedupe:probe -- [options]',
  about: 'The matcher on faker locales the evaluation leaves out: look-alikes held, retypings missed, with examples.',
};

/** The country each probed locale's addresses are in (it decides country rules such as glued street types). */
const COUNTRY_OF: Readonly<Record<string, string>> = {
  es: 'ES',
  it: 'IT',
  pt_BR: 'BR',
  nl: 'NL',
  pl: 'PL',
  tr: 'TR',
  vi: 'VN',
  fa: 'IR',
  cs_CZ: 'CZ',
  sk: 'SK',
  sv: 'SE',
  nb_NO: 'NO',
  da: 'DK',
  fi: 'FI',
  hu: 'HU',
  ro: 'RO',
  hr: 'HR',
  lv: 'LV',
  id_ID: 'ID',
  hy: 'AM',
  ka_GE: 'GE',
};

type Kind = 'other street' | 'other city' | 'other given name' | 'retyping missed';

const { values } = parseCommandLine(HELP, {
  options: {
    locales: { type: 'string', default: Object.keys(COUNTRY_OF).join(',') },
    pairs: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '4242' },
    examples: { type: 'string', default: '3' },
  },
});

/** One or two typos inside the words, never on a word's first letter. */
function retyped(faker: Faker, text: string): string {
  const letters = [...text];
  for (let typo = faker.number.int({ min: 1, max: 2 }); typo > 0 && letters.length >= 4; typo--) {
    // Inside a word, never its first letter: typists seldom get that one wrong.
    const inside = letters
      .map((letter, index) => index)
      .filter(
        (index) =>
          index < letters.length - 1 && /\p{L}/u.test(letters[index]) && /\p{L}/u.test(letters[index - 1] ?? ''),
      );
    if (inside.length === 0) break;
    const at = faker.helpers.arrayElement(inside);
    const kind = faker.number.int({ min: 0, max: 3 });
    if (kind === 0) letters.splice(at, 1);
    else if (kind === 1) letters.splice(at, 0, letters[at]);
    else if (kind === 2) [letters[at], letters[at + 1]] = [letters[at + 1], letters[at]];
    // A letter of the same script: another of the text's own letters.
    else letters[at] = faker.helpers.arrayElement(letters.filter((letter) => /\p{L}/u.test(letter)));
  }
  return letters.join('');
}

function probe(locale: string, pairs: number, seed: number) {
  const faker = allFakers[locale as keyof typeof allFakers];
  if (!faker) throw new Error(`faker has no locale ${locale}`);
  faker.seed(seed);
  const country = COUNTRY_OF[locale] ?? 'XX';
  const counts: Record<Kind, number> = {
    'other street': 0,
    'other city': 0,
    'other given name': 0,
    'retyping missed': 0,
  };
  const examples: Record<Kind, string[]> = {
    'other street': [],
    'other city': [],
    'other given name': [],
    'retyping missed': [],
  };
  const note = (kind: Kind, a: ShippingAddress, b: ShippingAddress, wrong: boolean) => {
    if (!wrong) return;
    counts[kind] += 1;
    if (examples[kind].length < examplesShown)
      examples[kind].push(`${a.name} | ${a.line1} | ${a.city}  ≠  ${b.name} | ${b.line1} | ${b.city}`);
  };
  for (let index = 0; index < pairs; index++) {
    const family = faker.person.lastName();
    const [given, otherGiven] = [faker.person.firstName(), faker.person.firstName()];
    const street = faker.location.street();
    const otherStreet = faker.location.street();
    const [city, otherCity] = [faker.location.city(), faker.location.city()];
    const house = String(faker.number.int({ min: 1, max: 300 }));
    const address: ShippingAddress = {
      name: `${given} ${family}`,
      line1: `${street} ${house}`,
      city,
      postalCode: faker.location.zipCode(),
      country,
    };
    const held = (b: ShippingAddress) => compareAddresses(address, b).alike;
    if (otherStreet !== street) {
      const b = { ...address, line1: `${otherStreet} ${house}` };
      note('other street', address, b, held(b));
    }
    if (otherCity !== city) {
      const b = { ...address, city: otherCity, postalCode: '' };
      note('other city', address, b, held(b));
    }
    if (otherGiven !== given) {
      const b = { ...address, name: `${otherGiven} ${family}` };
      note('other given name', address, b, held(b));
    }
    const b = { ...address, line1: `${retyped(faker, street)} ${house}` };
    note('retyping missed', address, b, !held(b));
  }
  return { locale, country, counts, examples };
}

const pairs = integerOption('pairs', values.pairs);
const locales = listOption('locales', values.locales, Object.keys(COUNTRY_OF));
const seed = integerOption('seed', values.seed, 0);
const examplesShown = integerOption('examples', values.examples, 0);
console.log(
  `Faker locales outside the evaluation, ${pairs.toLocaleString('en')} customers each, seed ${values.seed}: look-alikes held (of ${pairs.toLocaleString('en')} drawn; a street or city drawn twice is skipped) and retypings missed.\n`,
);
console.log('| locale | country | other street held | other city held | other given name held | retyping missed |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
const results = locales.map((locale) => probe(locale, pairs, seed));
for (const { locale, country, counts } of results)
  console.log(
    `| ${locale} | ${country} | ${counts['other street']} | ${counts['other city']} | ${counts['other given name']} | ${counts['retyping missed']} |`,
  );
for (const { locale, examples } of results)
  for (const [kind, lines] of Object.entries(examples))
    for (const line of lines) console.log(`- ${locale} ${kind}: ${line}`);
