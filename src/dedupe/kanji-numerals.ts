/**
 * Japanese block, lot and house numbers written in kanji numerals ("一丁目", "二番地", "十二丁目")
 * read as their digits, so that "一丁目2番3号" is "1丁目2番3号": both are written, and a retyping
 * that changed one for the other was created as a new order (outside look-alikes, second round).
 * Only before the words that number a place (丁目, 番地, 番, 号): elsewhere a numeral is part of a
 * name (三田, 九十九里), and 番町 (三番町, a district of Tokyo) is a name too.
 */

const DIGITS: Readonly<Record<string, number>> = {
  〇: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const MULTIPLIERS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

const KANJI_NUMBER = /[〇一二三四五六七八九十百千]+(?=丁目|番地|番(?!町)|号)/gu;

/**
 * The digits of a kanji numeral: with multipliers ("十二" → 12, "二十" → 20, "百五" → 105), or
 * digit by digit ("二〇" → 20); null when it reads as neither ("一二十").
 */
function kanjiValue(numeral: string): string | null {
  if (!/[十百千]/u.test(numeral)) return [...numeral].map((character) => DIGITS[character]).join('');
  let total = 0;
  let digit: number | null = null;
  for (const character of numeral) {
    if (character in DIGITS) {
      if (digit !== null) return null;
      digit = DIGITS[character];
    } else {
      total += (digit ?? 1) * MULTIPLIERS[character];
      digit = null;
    }
  }
  return String(total + (digit ?? 0));
}

/** Kanji numerals before 丁目, 番地, 番 or 号 as digits, in Japan. */
export function kanjiNumeralsAsDigits(text: string, country: string): string {
  if (country !== 'JP') return text;
  return text.replace(KANJI_NUMBER, (numeral) => kanjiValue(numeral) ?? numeral);
}
