import { romanValue } from './number-words';
import { withinOneEdit } from './string-similarity';

/**
 * Streets named after a date: "rue du Quatre-Septembre" is "rue du 4 Septembre", "Via XX Settembre"
 * is "Via 20 Settembre", "Calle Dos de Mayo" is "Calle 2 de Mayo", "Rua Vinte e Cinco de Março" is
 * "Rua 25 de Março", "ul. Trzeciego Maja" is "ul. 3 Maja", "ул. Восьмого Марта" is "ул. 8 Марта". The
 * day before a month's name, written as a word (French, Spanish, Italian, Portuguese to 31; Polish,
 * Russian and Ukrainian ordinals in the genitive; a long one with one typo) or as a Roman numeral, is read as its digits, so both
 * spellings give the same numbers and another day another number (street-parts.ts compares them
 * as any number). Digits are left as they are: a house number before a street named after a month
 * ("4 rue Mai", "Flat 4, May Court") is never touched. Found from outside (2026-12-05).
 */
export function datesWithDayDigits(tokens: readonly string[]): string[] {
  const read = [...tokens];
  for (let month = read.length - 1; month > 0; month--) {
    if (!MONTHS.has(read[month])) continue;
    // "Dos de Mayo", "XX di Settembre": the day stands before the word that links it to the month.
    const last = LINKS.has(read[month - 1]) ? month - 2 : month - 1;
    const day = dayEndingAt(read, last);
    if (day !== null) read.splice(day.start, last - day.start + 1, String(day.value));
  }
  return read;
}

/** The day written as words or a Roman numeral that ends at `last`, and where it starts; null otherwise. */
function dayEndingAt(tokens: readonly string[], last: number): { start: number; value: number } | null {
  const word = tokens[last];
  if (word === undefined) return null;
  if (ROMAN_UP_TO_31.test(word)) return { start: last, value: romanValue(word) };
  // A unit already read as digits ("six", an English word too) may still follow its tens ("vingt-six").
  const digits = /^\d$/.test(word);
  const value = digits ? Number(word) : dayWord(word);
  if (value === null) return null;
  // "vingt-deux", "dix-sept", "vingt et un", "vinte e cinco", "treinta y uno": tens, then the unit.
  if (value < 10) {
    const before = tokens[last - 1];
    const tens = before === undefined ? null : TENS.get(before);
    if (tens !== undefined && tens !== null) return withinMonth(last - 1, tens + value);
    if (before === 'dix' && value >= 7) return { start: last - 1, value: 10 + value };
    const joined = before !== undefined && AND.has(before) ? TENS.get(tokens[last - 2] ?? '') : undefined;
    if (joined !== undefined) return withinMonth(last - 2, joined + value);
  }
  return digits ? null : { start: last, value };
}

function withinMonth(start: number, value: number): { start: number; value: number } | null {
  return value <= 31 ? { start, value } : null;
}

/** A day's number written as one word, exactly or (five letters or more, first letter right) with one typo. */
function dayWord(word: string): number | null {
  const exact = DAY_WORDS.get(word);
  if (exact !== undefined) return exact;
  if (word.length < 5) return null;
  const near = new Set(
    [...DAY_WORDS].filter(([spelling]) => spelling[0] === word[0] && withinOneEdit(spelling, word)).map(([, n]) => n),
  );
  return near.size === 1 ? [...near][0] : null;
}

const ROMAN_UP_TO_31 = /^(?=[ivx])(xxx(?:i)?|x{0,2}(?:ix|iv|v?i{0,3}))$/;

/** Months, as folded (accents dropped), in French, Spanish, Italian, Portuguese and German. */
const MONTHS: ReadonlySet<string> = new Set(
  [
    'janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre',
    'enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre',
    'gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre',
    'janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro',
    'januar februar marz maerz april mai juni juli august september oktober november dezember',
    // Polish, Russian and Ukrainian in the genitive a date takes ("3 Maja", "8 Марта", "8 Березня").
    'stycznia lutego marca kwietnia maja czerwca lipca sierpnia wrzesnia pazdziernika listopada grudnia',
    'января февраля марта апреля мая июня июля августа сентября октября ноября декабря',
    'січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня',
  ].flatMap((names) => names.split(' ')),
);

/** What links a day to its month: "Dos de Mayo", "25 de Março", "XX di Settembre". */
const LINKS: ReadonlySet<string> = new Set(['de', 'di', 'del']);

/** What joins tens and units: "vingt et un", "vinte e cinco", "treinta y uno". */
const AND: ReadonlySet<string> = new Set(['et', 'e', 'y']);

const TENS = new Map<string, number>([
  ...['vingt', 'veinte', 'venti', 'vinte', 'dwudziestego', 'двадцать', 'двадцять'].map((word) => [word, 20] as const),
  ...['trente', 'treinta', 'trenta', 'trinta', 'trzydziestego', 'тридцать', 'тридцять'].map(
    (word) => [word, 30] as const,
  ),
]);

/** The days one to thirty-one as single words; the first of the month as an ordinal too ("Premier-Mai"). */
const DAY_WORDS = new Map<string, number>(
  (
    [
      [1, 'un une uno una um uma premier primer primero primo primeiro pierwszego первого першого'],
      [2, 'deux dos due dois duas drugiego второго другого'],
      [3, 'trois tres tre trzeciego третьего третього'],
      [4, 'quatre cuatro quattro quatro czwartego четвертого'],
      [5, 'cinq cinco cinque piatego пятого пʼятого'],
      [6, 'six seis sei szostego шестого шостого'],
      [7, 'sept siete sette sete siodmego седьмого сьомого'],
      [8, 'huit ocho otto oito osmego восьмого'],
      [9, 'neuf nueve nove dziewiatego девятого девʼятого'],
      [10, 'dix diez dieci dez dziesiatego десятого'],
      [11, 'onze once undici jedenastego одиннадцатого одинадцятого'],
      [12, 'douze doce dodici doze dwunastego двенадцатого дванадцятого'],
      [13, 'treize trece tredici treze trzynastego тринадцатого тринадцятого'],
      [14, 'quatorze catorce quattordici catorze czternastego четырнадцатого чотирнадцятого'],
      [15, 'quinze quince quindici pietnastego пятнадцатого пʼятнадцятого пятнадцятого'],
      [16, 'seize dieciseis sedici dezesseis dezasseis szesnastego шестнадцатого шістнадцятого'],
      [17, 'diecisiete diciassette dezessete dezassete siedemnastego семнадцатого сімнадцятого'],
      [18, 'dieciocho diciotto dezoito osiemnastego восемнадцатого вісімнадцятого'],
      [19, 'diecinueve diciannove dezenove dezanove dziewietnastego девятнадцатого девʼятнадцятого девятнадцятого'],
      [20, 'vingt veinte venti vinte dwudziestego двадцатого двадцятого'],
      [21, 'veintiuno veintiun ventuno'],
      [22, 'veintidos ventidue'],
      [23, 'veintitres ventitre'],
      [24, 'veinticuatro ventiquattro'],
      [25, 'veinticinco venticinque'],
      [26, 'veintiseis ventisei'],
      [27, 'veintisiete ventisette'],
      [28, 'veintiocho ventotto'],
      [29, 'veintinueve ventinove'],
      [30, 'trente treinta trenta trinta trzydziestego тридцатого тридцятого'],
      [31, 'trentuno'],
    ] as const
  ).flatMap(([value, words]) => words.split(' ').map((word) => [word, value] as const)),
);
