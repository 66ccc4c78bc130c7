import { transliterate } from 'transliteration';
import { vocabularyEntry } from './address-vocabulary';
import { SCRIPT_DIRECTIONS, SCRIPT_STREET_TYPES } from './script-vocabulary';
import { foldText } from './text-folding';
import type { ShippingAddress } from './shipping-address';

/**
 * Alphabets whose letters a customer retypes in Latin letter by letter, so that the library's
 * reading of one ("Москва" → "Moskva", "Αθήνα" → "Athina") is a spelling of the other within the
 * matcher's tolerance for typos ("Habarovsk" / "Khabarovsk"). Scripts whose Latin spelling is not
 * read off the letters (Han and kana, whose readings differ by language; Arabic and Hebrew, which
 * leave vowels out) are not: there a field in Latin against one in the script stays another field.
 */
const ALPHABET_LETTER = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;
const LATIN_LETTER = /\p{Script=Latin}/u;
const OTHER_LETTER = /[^\P{L}\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]/u;
const WORD = /[\p{L}\p{M}]+/gu;

type FieldScript = 'latin' | 'alphabet' | 'mixed';

/** The field's letters: all Latin, all Cyrillic or Greek, or anything else (mixed, other scripts, none). */
function scriptOf(text: string): FieldScript {
  const latin = LATIN_LETTER.test(text);
  const alphabet = ALPHABET_LETTER.test(text);
  if (OTHER_LETTER.test(text) || latin === alphabet) return 'mixed';
  return latin ? 'latin' : 'alphabet';
}

/** Romanisations of the types beside the library's own ("улица" → "ulica"), as customers type them. */
const ROMANISED_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  street: ['ulitsa', 'ulitza', 'vulytsia', 'vulytsya', 'vulitsa'],
  avenue: ['prospect'],
  square: ['ploschad', 'ploshad', 'plateia', 'platia'],
  highway: ['shosse'],
};

/**
 * One Latin word per street type and direction of the scripts' vocabulary: the canonical word when
 * the Latin vocabulary reads it as the same ("street", "north"), else one romanised spelling
 * ("naberezhnaya"). Both sides of a cross-script pair write it, so "ул." and "ulitsa", "Северная"
 * and "Severnaya" agree, while "пр-т" (avenue) stays apart from "ul." (street).
 */
const LATIN_WORD = new Map<string, string>();
/** Romanised spellings a customer types for those words ("ulitsa", "ul", "prospekt", "odos"), folded. */
const ROMANISED = new Map<string, string>();
for (const [canonical, spellings] of [...Object.entries(SCRIPT_STREET_TYPES), ...Object.entries(SCRIPT_DIRECTIONS)]) {
  const inScript = spellings.filter((spelling) => ALPHABET_LETTER.test(spelling));
  const romanised = inScript.map((spelling) => foldText(transliterate(spelling))).filter((word) => word !== '');
  const latin =
    vocabularyEntry(canonical)?.canonical === canonical
      ? canonical
      : romanised.reduce((a, b) => (b.length > a.length ? b : a), '');
  for (const spelling of inScript) LATIN_WORD.set(foldText(spelling), latin);
  for (const word of [...romanised, ...(ROMANISED_VARIANTS[canonical] ?? [])]) ROMANISED.set(word, latin);
}

const TEXT_FIELDS = ['name', 'line1', 'line2', 'city', 'region'] as const;

/**
 * The two addresses with each text field that one writes in Latin letters and the other in
 * Cyrillic or Greek read in Latin on both: the same flat typed once on a Russian keyboard and once
 * on a Latin one ("ул. Ленина 5, Москва" / "ul. Lenina 5, Moskva") is one delivery point, and the
 * matcher's rules then apply as to any two Latin spellings. Fields in one script are left as
 * written. Found from outside (stop 38): such a resend was created unmarked, with or without the
 * risk model.
 */
export function inOneScript(a: ShippingAddress, b: ShippingAddress): [ShippingAddress, ShippingAddress] {
  let left = a;
  let right = b;
  for (const field of TEXT_FIELDS) {
    const x = a[field];
    const y = b[field];
    if (!x || !y) continue;
    const scripts = [scriptOf(x), scriptOf(y)];
    if (scripts.includes('mixed') || scripts[0] === scripts[1]) continue;
    const [inScript, inLatin] = scripts[0] === 'alphabet' ? [x, y] : [y, x];
    const read = { [field]: romaniseScript(inScript) };
    const retyped = { [field]: inLatin.replace(WORD, (word) => ROMANISED.get(foldText(word)) ?? word) };
    [left, right] =
      scripts[0] === 'alphabet'
        ? [
            { ...left, ...read },
            { ...right, ...retyped },
          ]
        : [
            { ...left, ...retyped },
            { ...right, ...read },
          ];
  }
  return [left, right];
}

/** A Cyrillic or Greek field in Latin letters, its street types and directions as LATIN_WORD writes them. */
function romaniseScript(text: string): string {
  return text.replace(WORD, (word) => LATIN_WORD.get(foldText(word)) ?? transliterate(word));
}
