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
};

/**
 * Lower case without accents: "Straße" → "strasse", "Genève" → "geneve", "Łódź" → "lodz",
 * "Ørsted" → "orsted". Marks are stripped after compatibility decomposition (NFKD), and the few
 * letters that do not decompose are spelled out.
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßæœøłđðþı]/g, (letter) => SPECIAL_LETTERS[letter]);
}

/**
 * The German and Scandinavian transliterations of ä, ö, ü ("ae", "oe", "ue") folded onto the
 * plain vowel, so that "Müller", "Mueller" and "Muller" all read "muller". Applied to both sides
 * of every comparison, so it never separates what was equal.
 */
export function foldDigraphs(word: string): string {
  return word.replace(/([aou])e/g, '$1');
}

/** Words of a folded text: letters and digits, apostrophes dropped ("O'Brien" → "obrien"). */
export function foldedWords(text: string): string[] {
  return foldText(text)
    .replace(/['’`´]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}
