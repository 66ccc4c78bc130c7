import { runsReadOnce } from './string-similarity';
import { isDenseScript } from './text-folding';

/**
 * Slips of the keys or of the input method in Chinese, Japanese and Korean place names, which the
 * dense scripts' rule of no typo in short names (spelling-agreement.ts) would otherwise read as
 * another place.
 */

/**
 * Two Chinese, Japanese or Korean spellings that differ only in a character typed again beside
 * itself ("西ハナナ市" / "西ハナ市", "北森川村村村" / "北森川村"): a key or a conversion repeated.
 * A character put for another, dropped or moved still makes another name (愛 / 愛莉). Reading a
 * Chinese character put for another in a Japanese district as another district, whatever its
 * weight (as street-words.ts reads streets: 太田 / 徳田), was tried and left out: other districts held
 * 7 → 1, retypings missed 84 → 334.
 * Fifteenth round; on tuning seeds 1–3 (3,000 customers a locale): Japanese retypings missed
 * 110 → 93, Chinese 4 and Korean 27 unchanged, false holds unchanged (7 other districts in ja, 2
 * other streets in ko).
 */
export function repeatedCharacterOnly(a: string, b: string): boolean {
  if (a === b || !isDenseScript(a) || !isDenseScript(b)) return false;
  return runsReadOnce(a) === runsReadOnce(b);
}

/** Characters that close a Chinese, Japanese or Korean place name with its kind: city, ward, town, village, district, road. */
const DENSE_KINDS = /[市区區町村県都府道州县镇乡路街시구군동읍면리길로]$/u;

/** The kind character that closes a dense-script place name (港区: 区), if any. */
export function denseKind(text: string): string | undefined {
  return DENSE_KINDS.exec(text)?.[0];
}

/**
 * Two dense-script spellings of one place whose kind is written on one side only: left out
 * ("湖トミ村" / "湖トミ") or typed one character early ("東キミ市" / "東キ市ミ"). A Japanese district
 * closes with its kind (市, 区, 町, 村); a spelling that does not, the rest the same, is that
 * district with its kind dropped or moved, not another. Two kinds, one at each end, still make
 * two places (港区 / 港町, and "北田村市" / "北田市村": a village of 北田市, or 北田村 a city).
 * Fifteenth round; on tuning seeds 1–3 (3,000 customers a locale): Japanese retypings missed
 * 93 → 84, Chinese 4 and Korean 27 unchanged, false holds unchanged (7 other districts in ja, 2
 * other streets in ko).
 */
export function placeKindSlip(a: string, b: string): boolean {
  if (a === b || !isDenseScript(a) || !isDenseScript(b)) return false;
  return kindDroppedOrMoved(a, b) || kindDroppedOrMoved(b, a);
}

function kindDroppedOrMoved(withKind: string, without: string): boolean {
  const kind = denseKind(withKind);
  if (kind === undefined || denseKind(without) !== undefined) return false;
  const name = withKind.slice(0, -kind.length);
  return without === name || (name.length >= 2 && without === name.slice(0, -1) + kind + name.slice(-1));
}

/**
 * A Chinese or Japanese city written with its kind, 市, and without it ("广州市" / "广州", "札幌市" /
 * "札幌"): one city, also where the name closes with a character that is a kind elsewhere (州, so
 * many Chinese cities: 广州, 杭州). Found from outside (2026-12-05): "广州" / "广州市" were two places.
 */
export function cityKindDropped(a: string, b: string): boolean {
  return a.length >= 2 && b.length >= 2 && (a === `${b}市` || b === `${a}市`);
}
