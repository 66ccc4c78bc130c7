import { foldText } from './text-folding';
import { onlyDifferingIndex } from './string-similarity';

/**
 * Keys that touch on the standard keyboards of the scripts the matcher reads, for telling a slip
 * of the finger from another word. Most letters typed in place of another are a neighbouring key
 * (Grudin 1983, "Error patterns in novice and skilled transcription typing"; Kukich 1992, "Techniques
 * for automatically correcting words in text", which is why spelling correctors weigh adjacent keys
 * first): "Dupomt" for "Dupont" (m beside n), not "Dumont", whose m is four keys from p.
 *
 * Each layout is written as its three rows of letters, left to right, each row set off by about
 * half a key from the one above (ISO/IEC 9995's staggered rows): the key at column i touches i − 1
 * and i + 1 in its row, i and i + 1 in the row above, i − 1 and i in the row below. A character
 * that is no letter keeps a key's place ("·"). Letters are folded as the words compared are
 * (text-folding.ts: "й" is "и", "ς" is "σ", "ة" is "ه"), so a folded letter takes the neighbours of
 * every key that folds to it; the layouts of one script are taken together (QWERTY, QWERTZ and
 * AZERTY; Russian and Ukrainian ЙЦУКЕН).
 */
const LAYOUTS: readonly (readonly string[])[] = [
  // English QWERTY
  ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'],
  // German QWERTZ (DIN 2137)
  ['qwertzuiopü', 'asdfghjklöä', 'yxcvbnm'],
  // French AZERTY
  ['azertyuiop', 'qsdfghjklm', 'wxcvbn'],
  // Russian ЙЦУКЕН (GOST 6431)
  ['йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю'],
  // Ukrainian ЙЦУКЕН (DSTU 4246)
  ['йцукенгшщзхї', 'фівапролджє', 'ячсмитьбю'],
  // Greek (ELOT 1000)
  ['·ςερτυθιοπ', 'ασδφγηξκλ', 'ζχψωβνμ'],
  // Hebrew (SI 1452)
  ['··קראטוןםפ', 'שדגכעיחלךף', 'זסבהנמצתץ'],
  // Arabic (the PC layout of Windows and macOS, "101"; "·" for the lam-alef key)
  ['ضصثقفغعهخحجد', 'شسيبلاتنمكط', 'ئءؤر·ىةوزظ'],
];

/** Hebrew letters and their final forms, one letter written two ways by the place in the word. */
const HEBREW_FINALS: readonly (readonly [string, string])[] = [
  ['כ', 'ך'],
  ['מ', 'ם'],
  ['נ', 'ן'],
  ['פ', 'ף'],
  ['צ', 'ץ'],
];

/**
 * Letters that look alike, which a name copied by eye confuses wherever their keys are: Hebrew
 * letters of one shape (ד / ר, ה / ח / ת, ו / ז, ב / כ, ג / נ, ס / ם) and Arabic letters of one
 * skeleton told apart by their dots alone (ب / ت / ث / ن / ي, ج / ح / خ, د / ذ, ر / ز, س / ش, ص / ض,
 * ط / ظ, ع / غ, ف / ق).
 */
const LOOK_ALIKE_LETTERS: readonly string[] = [
  'דר',
  'החת',
  'וז',
  'בכ',
  'גנ',
  'סם',
  'بتثني',
  'جحخ',
  'دذ',
  'رز',
  'سش',
  'صض',
  'طظ',
  'عغ',
  'فق',
];

let neighbours: ReadonlyMap<string, ReadonlySet<string>> | undefined;

function keyboardNeighbours(): ReadonlyMap<string, ReadonlySet<string>> {
  if (neighbours) return neighbours;
  const map = new Map<string, Set<string>>();
  const link = (x: string, y: string) => {
    if (x === y || x === '·' || y === '·') return;
    for (const [from, to] of [
      [x, y],
      [y, x],
    ]) {
      const set = map.get(from) ?? new Set<string>();
      set.add(to);
      map.set(from, set);
    }
  };
  for (const layout of LAYOUTS) {
    const rows = layout.map((row) => [...row].map((key) => (key === '·' ? key : foldText(key))));
    for (const [r, row] of rows.entries())
      for (const [i, key] of row.entries()) {
        if (i + 1 < row.length) link(key, row[i + 1]);
        const below = rows[r + 1];
        if (below) for (const j of [i - 1, i]) if (j >= 0 && j < below.length) link(key, below[j]);
      }
  }
  for (const [letter, final] of HEBREW_FINALS) link(letter, final);
  for (const group of LOOK_ALIKE_LETTERS) for (const x of group) for (const y of group) link(x, y);
  neighbours = map;
  return map;
}

/**
 * Whether a letter typed for another can be a slip: the two keys touch on a layout of their
 * script, or the two letters look alike, or either is on none of the layouts (nothing is known, so
 * nothing is told apart). Folded letters.
 */
export function keysTouch(a: string, b: string): boolean {
  if (a === b) return true;
  const map = keyboardNeighbours();
  const near = map.get(a);
  if (!near || !map.has(b)) return true;
  return near.has(b);
}

/**
 * Two words of one length that differ in one letter only, whose keys do not touch: another word,
 * not one typed again with a slip ("dumont" / "dupont", "גולן" / "גושן", "العلاني" / "العواني").
 * Folded words.
 */
export function otherLetterNotNeighbour(a: string, b: string): boolean {
  const differing = onlyDifferingIndex(a, b);
  return differing >= 0 && !keysTouch(a[differing], b[differing]);
}
