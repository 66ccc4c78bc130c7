import { memoised } from './address-words';
import type { ShippingAddress } from './shipping-address';

/**
 * Cyrillic and Greek letters drawn as a Latin one, in the case they are typed in: a keyboard
 * switched mid-word writes "Hаuptstraße" (Cyrillic а) or "Xopoшaя" (Latin x, o, p, a), and a
 * house number's letter is typed on whichever layout was on ("12а", "д. 12a"). Only letters that
 * look the same: lower-case в, к, м, н, т and the Greek β, η, μ do not, and are left alone.
 */
const LOOK_ALIKES: Readonly<Record<'cyrillic' | 'greek', Readonly<Record<string, string>>>> = {
  cyrillic: {
    А: 'A',
    В: 'B',
    Е: 'E',
    К: 'K',
    М: 'M',
    Н: 'H',
    О: 'O',
    Р: 'P',
    С: 'C',
    Т: 'T',
    Х: 'X',
    У: 'Y',
    І: 'I',
    Ј: 'J',
    Ѕ: 'S',
    а: 'a',
    е: 'e',
    о: 'o',
    р: 'p',
    с: 'c',
    у: 'y',
    х: 'x',
    і: 'i',
    ј: 'j',
    ѕ: 's',
    һ: 'h',
    ԁ: 'd',
    ӏ: 'l',
  },
  greek: {
    Α: 'A',
    Β: 'B',
    Ε: 'E',
    Ζ: 'Z',
    Η: 'H',
    Ι: 'I',
    Κ: 'K',
    Μ: 'M',
    Ν: 'N',
    Ο: 'O',
    Ρ: 'P',
    Τ: 'T',
    Υ: 'Y',
    Χ: 'X',
    ο: 'o',
    ρ: 'p',
    ν: 'v',
    ι: 'i',
    κ: 'k',
    α: 'a',
    υ: 'u',
  },
};

type Alphabet = 'latin' | keyof typeof LOOK_ALIKES;
const ALPHABETS: readonly Alphabet[] = ['latin', 'cyrillic', 'greek'];

/** Each alphabet's look-alikes written in the other alphabet: for a letter of one, the letter of another it looks like. */
const INTO: Readonly<Record<Alphabet, ReadonlyMap<string, string>>> = {
  latin: new Map([...Object.entries(LOOK_ALIKES.cyrillic), ...Object.entries(LOOK_ALIKES.greek)]),
  cyrillic: new Map(Object.entries(LOOK_ALIKES.cyrillic).map(([cyrillic, latin]) => [latin, cyrillic])),
  greek: new Map(Object.entries(LOOK_ALIKES.greek).map(([greek, latin]) => [latin, greek])),
};
/** The letters that have a look-alike in some other alphabet: they do not say which alphabet a word is in. */
const AMBIGUOUS = new Set([...INTO.latin.keys(), ...INTO.cyrillic.keys(), ...INTO.greek.keys()]);

const SCRIPT: Readonly<Record<Alphabet, RegExp>> = {
  latin: /\p{Script=Latin}/u,
  cyrillic: /\p{Script=Cyrillic}/u,
  greek: /\p{Script=Greek}/u,
};
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

function alphabetOf(letter: string): Alphabet | undefined {
  return ALPHABETS.find((alphabet) => SCRIPT[alphabet].test(letter));
}

/** Letters of each alphabet in a text, all of them or only those without a look-alike. */
function letterCounts(text: string, distinctiveOnly: boolean): Map<Alphabet, number> {
  const counts = new Map<Alphabet, number>();
  for (const letter of text) {
    const alphabet = alphabetOf(letter);
    if (alphabet && !(distinctiveOnly && AMBIGUOUS.has(letter))) counts.set(alphabet, (counts.get(alphabet) ?? 0) + 1);
  }
  return counts;
}

/** The alphabet with the most letters, or none when two tie or there are no letters. */
function majority(counts: Map<Alphabet, number>): Alphabet | undefined {
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  return ranked.length > 0 && (ranked.length === 1 || ranked[0][1] > ranked[1][1]) ? ranked[0][0] : undefined;
}

/**
 * A field with each word's look-alike letters written in the alphabet the word is in: the one of
 * its letters that have no look-alike ("Xopoшaя": ш, я; "Hаuptstraße": u, t, ß), or, in a word of
 * look-alikes only ("12а"), the field's alphabet. A word in one alphabet whose field is in the
 * same one is left as written, and so is a field wholly in another alphabet ("ul. Lenina"), which
 * the reading across scripts (cross-script.ts) compares.
 */
function inOneAlphabet(text: string, field: Alphabet | undefined): string {
  return text.replace(WORD, (word) => {
    const present = letterCounts(word, false);
    if (present.size === 0) return word;
    const target = present.size > 1 ? (majority(letterCounts(word, true)) ?? field) : field;
    if (!target || (present.size === 1 && (present.has(target) || letterCounts(word, true).size > 0))) return word;
    const into = INTO[target];
    return [...word].map((letter) => (alphabetOf(letter) === target ? letter : (into.get(letter) ?? letter))).join('');
  });
}

const inFieldAlphabet = memoised((text: string) => inOneAlphabet(text, majority(letterCounts(text, false))));
/** A postcode's letters are Latin wherever they are used ("LS1 4АР" is "LS1 4AP"). */
const inLatin = memoised((text: string) => inOneAlphabet(text, 'latin'));

const FIELDS = ['name', 'line1', 'line2', 'city', 'region'] as const;

/** The address with its text fields' look-alike letters read in one alphabet (inOneAlphabet). */
export function withLookAlikesRead(address: ShippingAddress): ShippingAddress {
  const read: ShippingAddress = { ...address, postalCode: inLatin(address.postalCode ?? '') };
  for (const field of FIELDS) {
    const value = address[field];
    if (value) read[field] = inFieldAlphabet(value);
  }
  return read;
}
