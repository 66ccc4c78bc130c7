/**
 * Buildings in Chinese, Japanese and Korean addresses are named by a family or place name before
 * the word for the building (岡マンション, 小笠原ハイツ, 申屠花园, 김빌라). A family name is one to three
 * characters, each a word or a morpheme of its own: one character more is another name (岡 / 森岡,
 * 原 / 石原, 笠原 / 小笠原, 申 / 申屠), as a recipient's given name is (person-name.ts: 愛 / 愛莉).
 * A character typed twice (岡岡) is a slip.
 */

/** Words for an apartment or residential building that close its name (folded: text-folding.ts). */
const BUILDING_WORDS: readonly string[] = [
  // Japanese: mansion (a block of flats), heights, co-op, apartment, residence, house, villa; sō, kan.
  ...['マンション', 'ハイツ', 'コーポ', 'アパート', 'レジデンス', 'ハウス', 'ヴィラ', '荘', '館'],
  // Chinese: garden (a housing estate), apartments, tower block, mansion, villa, estate, home.
  ...['花园', '公寓', '大厦', '公馆', '别墅', '小区', '家园', '花園', '大廈', '公館'],
  // Korean: villa, apartment, mansion, house.
  ...['빌라', '아파트', '맨션', '하우스'],
].sort((a, b) => b.length - a.length);

const HAN = /\p{sc=Han}/u;

/**
 * Two building names with the same building word whose names differ by one Chinese character added
 * (森岡マンション / 岡マンション), not a neighbour typed twice.
 */
export function otherBuildingName(a: string, b: string): boolean {
  // Asked of every pair of street words: without a Chinese character there is none to add.
  if (!HAN.test(a) && !HAN.test(b)) return false;
  const building = BUILDING_WORDS.find((word) => a.endsWith(word) && b.endsWith(word));
  if (building === undefined) return false;
  const [x, y] = [[...a.slice(0, -building.length)], [...b.slice(0, -building.length)]];
  const [shorter, longer] = x.length < y.length ? [x, y] : [y, x];
  if (shorter.length === 0 || longer.length !== shorter.length + 1) return false;
  for (let at = 0; at < longer.length; at++) {
    const added = longer[at];
    if ([...longer.slice(0, at), ...longer.slice(at + 1)].join('') !== shorter.join('')) continue;
    if (HAN.test(added) && added !== longer[at - 1] && added !== longer[at + 1]) return true;
  }
  return false;
}
