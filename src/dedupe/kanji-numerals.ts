/**
 * Japanese block, lot and house numbers written in kanji numerals ("一丁目", "二番地", "十二丁目")
 * read as their digits, so that "一丁目2番3号" is "1丁目2番3号": both are written, and a retyping
 * that changed one for the other was created as a new order (outside look-alikes, second round).
 * Only before the words that number a place (丁目, 番地, 番, 号, and Sapporo's 条: "北一条西二丁目" is
 * "北1条西2丁目", found from outside, 2026-12-05): elsewhere a numeral is part of a name (三田,
 * 九十九里), and 番町 (三番町, a district of Tokyo) is a name too.
 */

const DIGITS: Readonly<Record<string, number>> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const MULTIPLIERS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

const KANJI_NUMBER = /[〇一二三四五六七八九十百千]+(?=丁目|番地|番(?!町)|号|条)/gu;

/**
 * Chinese numerals before the words that number a house, a building, a unit, a room, a floor or a
 * road's section ("八十八号" / "88号", "三号楼二单元五〇一室" / "3号楼2单元501室", "忠孝東路四段" /
 * "忠孝東路4段"), in mainland China, Taiwan, Hong
 * Kong and Macau. Not before 路 or 街: "八一路", "五四大街" are named after dates. Found from outside
 * (2026-12-05), where such a retyping was "other numbers".
 */
const CHINESE_NUMBER = /[〇零一二两三四五六七八九十百千]+(?=号|號|栋|棟|幢|单元|單元|室|层|層|楼|樓|弄|巷|段)/gu;
const CHINESE_NUMBER_COUNTRIES: ReadonlySet<string> = new Set(['CN', 'TW', 'HK', 'MO']);

/**
 * The digits of a kanji numeral: with multipliers ("十二" → 12, "二十" → 20, "百五" → 105), or
 * digit by digit ("二〇" → 20); null when it reads as neither ("一二十").
 */
function kanjiValue(numeral: string): string | null {
  if (!/[十百千]/u.test(numeral)) return [...numeral].map((character) => DIGITS[character]).join('');
  let total = 0;
  let digit: number | null = null;
  for (const character of numeral) {
    // "一百零五": the zero only says a place is empty.
    if (character === '零' || character === '〇') continue;
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

/** Kanji numerals before 丁目, 番地, 番 or 号 as digits, in Japan; Chinese ones before 号, 楼, 室 … in China. */
export function kanjiNumeralsAsDigits(text: string, country: string): string {
  const numerals = country === 'JP' ? KANJI_NUMBER : CHINESE_NUMBER_COUNTRIES.has(country) ? CHINESE_NUMBER : null;
  if (numerals === null) return text;
  return text.replace(numerals, (numeral) => kanjiValue(numeral) ?? numeral);
}
