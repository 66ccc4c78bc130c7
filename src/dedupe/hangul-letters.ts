/**
 * Hangul typed letter by letter where the input method did not compose the syllables: the
 * compatibility jamo "ㅅㅔㅈㅗㅇㄷㅐㄹㅗ" are "세종대로". NFKC reads each consonant as a syllable's
 * opening letter, so "ㅅㅓㅇㅜㄹ" became "서우" and a stray opening ㄹ: another street than "서울".
 * Composed as a Korean keyboard composes: a consonant before a vowel opens a syllable, one after a
 * vowel closes it, two vowels or two closing consonants typed in turn are one (ㅗ ㅏ is ㅘ, ㄹ ㄱ
 * is ㄺ); a consonant with no vowel beside it ("ㅋㅋ") is left as typed.
 */

/** Compatibility consonants in the order of the opening letters U+1100–U+1112. */
const OPENING = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
/** Compatibility consonants in the order of the closing letters U+11A8–U+11C2. */
const CLOSING = 'ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ';
/** The first and the last compatibility vowel (ㅏ … ㅣ), in the order of the vowels U+1161–U+1175. */
const FIRST_VOWEL = 0x314f;
const LAST_VOWEL = 0x3163;

/** Two letters typed in turn that the keyboard writes as one. */
const PAIRS: Readonly<Record<string, string>> = {
  ㅗㅏ: 'ㅘ',
  ㅗㅐ: 'ㅙ',
  ㅗㅣ: 'ㅚ',
  ㅜㅓ: 'ㅝ',
  ㅜㅔ: 'ㅞ',
  ㅜㅣ: 'ㅟ',
  ㅡㅣ: 'ㅢ',
  ㄱㅅ: 'ㄳ',
  ㄴㅈ: 'ㄵ',
  ㄴㅎ: 'ㄶ',
  ㄹㄱ: 'ㄺ',
  ㄹㅁ: 'ㄻ',
  ㄹㅂ: 'ㄼ',
  ㄹㅅ: 'ㄽ',
  ㄹㅌ: 'ㄾ',
  ㄹㅍ: 'ㄿ',
  ㄹㅎ: 'ㅀ',
  ㅂㅅ: 'ㅄ',
};

const COMPATIBILITY_LETTERS = /[\u3131-\u3163]+/g;
const COMPATIBILITY_LETTER = /[\u3131-\u3163]/;

const isVowel = (letter: string | undefined) =>
  letter !== undefined && letter.charCodeAt(0) >= FIRST_VOWEL && letter.charCodeAt(0) <= LAST_VOWEL;

/** The text with each run of compatibility jamo composed into syllables (NFC composes the letters written here). */
export function composedHangul(text: string): string {
  if (!COMPATIBILITY_LETTER.test(text)) return text;
  return text.replace(COMPATIBILITY_LETTERS, (run) => composeRun([...run])).normalize('NFC');
}

function composeRun(typed: string[]): string {
  // Two vowels typed in turn are one: ㅗ ㅏ is ㅘ.
  const letters: string[] = [];
  for (const letter of typed) {
    const pair = isVowel(letter) && isVowel(letters.at(-1)) ? PAIRS[letters.at(-1)! + letter] : undefined;
    if (pair) letters[letters.length - 1] = pair;
    else letters.push(letter);
  }
  let out = '';
  /** What the last letter written was: a vowel, a closing consonant (and which), or neither. */
  let last: 'vowel' | 'other' | { closing: string } = 'other';
  for (const [index, letter] of letters.entries()) {
    if (isVowel(letter)) {
      out += String.fromCharCode(0x1161 + letter.charCodeAt(0) - FIRST_VOWEL);
      last = 'vowel';
      continue;
    }
    const opening = OPENING.indexOf(letter);
    // Before a vowel, a consonant opens the vowel's syllable (it does not close the one before).
    if (isVowel(letters[index + 1]) && opening >= 0) {
      out += String.fromCharCode(0x1100 + opening);
      last = 'other';
      continue;
    }
    const pair = typeof last === 'object' ? PAIRS[last.closing + letter] : undefined;
    const closing = CLOSING.indexOf(pair ?? letter);
    if (last === 'vowel' && closing >= 0) {
      out += String.fromCharCode(0x11a8 + closing);
      last = { closing: letter };
    } else if (pair && closing >= 0) {
      out = out.slice(0, -1) + String.fromCharCode(0x11a8 + closing);
      last = 'other';
    } else {
      out += letter;
      last = 'other';
    }
  }
  return out;
}
