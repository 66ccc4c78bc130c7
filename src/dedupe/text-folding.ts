import { composedHangul } from './hangul-letters';

/** Letters that Unicode decomposition leaves alone, written the way a keyboard without them does. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  // Greek final sigma is the same letter; Arabic hamza seats, alef wasla, alef maqsura and ta
  // marbuta are written either way by people who type them again.
  ς: 'σ',
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ى: 'ي',
  ة: 'ه',
  // Persian and Urdu keyboards type yeh and kaf as their own letters (ی, ک), Arabic ones as ي and
  // ك: one street typed on two devices.
  ی: 'ي',
  ک: 'ك',
};
const SPECIAL = /[ßæœøłđðþıςأإآٱىةیک]/g;

/**
 * Marks that are accents people type or leave out: Latin, Greek and Cyrillic combining marks
 * (é, ά, ё, й), Hebrew points and Arabic vowel signs; and the Arabic tatweel (ـ), which only
 * stretches a word on the line ("الملـــك" is "الملك") though Unicode calls it a letter. Not the
 * Japanese voicing marks (か and が are two sounds) nor anything of Hangul, which decomposition
 * splits into letters.
 */
const OPTIONAL_MARKS = /[\u0300-\u036f\u0591-\u05c7\u064b-\u065f\u0670\u0640]/g;

const DECIMAL_DIGIT = /\p{Nd}/u;
/** Decimal digits other than ASCII's, of any script (Arabic-Indic, Devanagari, Tamil, Thai, Myanmar, Khmer, …). */
const OTHER_DIGIT = /(?![0-9])\p{Nd}/gu;
const digitValues = new Map<string, string>();

/**
 * A decimal digit's value. Unicode writes every script's ten decimal digits as one run of code
 * points from zero to nine (runs may follow each other: the mathematical digits), so the value is
 * how far the digit stands from the start of its run, modulo ten.
 */
function digitValue(digit: string): string {
  let value = digitValues.get(digit);
  if (value === undefined) {
    const code = digit.codePointAt(0)!;
    let before = 0;
    while (DECIMAL_DIGIT.test(String.fromCodePoint(code - before - 1))) before++;
    value = String(before % 10);
    digitValues.set(digit, value);
  }
  return value;
}

/**
 * Digits of other scripts as ASCII digits ("١٢", "१२", "௧௨", "၁၂" → "12"): a house number or a
 * postcode typed on another keyboard is the same number. Fullwidth ones NFKC already maps.
 */
export function asciiDigits(text: string): string {
  return text.replace(OTHER_DIGIT, digitValue);
}

/** Vulgar fractions (½, ¾, ⅓) and the fraction slash (U+2044) that NFKC makes of them. */
const VULGAR_FRACTION = /(\d?)([\u00bc-\u00be\u2150-\u215e])/gu;

/**
 * "12½" and "12 1⁄2" as "12 1/2": a US house number with a half (USPS Publication 28 § 2.2 writes
 * "1/2" apart from the number). NFKC alone made "12½" the number 121 and a 2.
 */
function withFractionsSpelled(text: string): string {
  return text
    .replace(VULGAR_FRACTION, (_match, digit: string, fraction: string) => `${digit} ${fraction.normalize('NFKC')}`)
    .replace(/\u2044/g, '/');
}

/**
 * Lower case without accents, in any script: "Straße" → "strasse", "Genève" → "geneve", "Łódź" →
 * "lodz", "Ørsted" → "orsted", "ΟΔΌΣ" → "οδοσ", "Ёлка" → "елка"; fullwidth and halfwidth forms
 * read as the usual ones ("１２" → "12", "ｶ" → "カ") by compatibility normalisation (NFKC). Letters
 * of every script are kept: nothing that was written folds to nothing.
 */
export function foldText(text: string): string {
  return asciiDigits(
    withFractionsSpelled(composedHangul(text))
      .normalize('NFKC')
      .toLowerCase()
      .normalize('NFKD')
      .replace(OPTIONAL_MARKS, '')
      .replace(SPECIAL, (letter) => SPECIAL_LETTERS[letter])
      .normalize('NFC'),
  );
}

/**
 * The German and Scandinavian transliterations of ä, ö, ü ("ae", "oe", "ue") folded onto the
 * plain vowel, so that "Müller", "Mueller" and "Muller" all read "muller". Applied to both sides
 * of every comparison, so it never separates what was equal.
 */
export function foldDigraphs(word: string): string {
  return word.replace(/([aou])e/g, '$1');
}

/** Separates words: anything that is not a letter, a mark or a digit of some script. */
export const WORD_SEPARATOR = /[^\p{L}\p{M}\p{N}]+/u;

/** Scripts written without spaces, whose every character carries a syllable or a word. */
const DENSE_SCRIPT = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;

/** Whether a text is written in Chinese, Japanese or Korean characters, where one character is a syllable or a word. */
export function isDenseScript(text: string): boolean {
  return DENSE_SCRIPT.test(text);
}

/** A Latin letter a–z: the only letters that may stand for a flat or a house suffix on their own. */
export function isLatinLetter(token: string): boolean {
  return /^[a-z]$/.test(token);
}

/**
 * Words of a folded text: letters and digits of any script, apostrophes dropped ("O'Brien" →
 * "obrien"). A field that holds something but no letter or digit ("★") is one word as written,
 * never nothing: an empty word list would equal every other empty one.
 */
export function foldedWords(text: string): string[] {
  const words = foldText(text)
    .replace(/['’`´]/g, '')
    .split(WORD_SEPARATOR)
    .filter((word) => word.length > 0);
  if (words.length > 0 || text.trim() === '') return words;
  return [text.normalize('NFKC').toLowerCase().replace(/\s+/g, '')];
}
