import { directionSpellings } from './address-vocabulary';
import type { AddressProfile } from './address-profile';
import { typedFor } from './address-words';
import { cityKindDropped, denseKind } from './dense-script-slips';
import { withinOneEdit } from './string-similarity';
import { isDenseScript } from './text-folding';

/**
 * A direction in a street makes another street whatever the rest ("North Road" / "South Road"),
 * as a name word without counterpart does (street-words.ts, where these rules were until the
 * fifteenth round).
 */

/**
 * Both name a direction and they differ: "North Road" and "South Road", "Rue du Nord" and "Rue du
 * Sud"; in Chinese, Japanese and Korean, a leading direction character (北区 and 南区).
 */
export function otherDirection(a: AddressProfile, b: AddressProfile): boolean {
  if (a.directions.size > 0 && b.directions.size > 0)
    return (
      a.directions.size !== b.directions.size || [...a.directions].some((direction) => !b.directions.has(direction))
    );
  if (a.directions.size > 0) return !directionTraced(a, b);
  if (b.directions.size > 0) return !directionTraced(b, a);
  return (
    otherDenseMark(a.street.plain, b.street.plain) ||
    (!cityKindDropped(a.city.plain, b.city.plain) && otherDenseMark(a.city.plain, b.city.plain)) ||
    otherDenseWordDirection(a.streetAsWrittenWords, b.streetAsWrittenWords)
  );
}

/**
 * Korean writes its words apart, the district before the road: "중구 남대문로" / "중구 북대문로"
 * differ in the direction of the second word, which the whole street's opening never shows. Word
 * by word when both have the same words in number; the directions only, not the closing kinds (a
 * slip in a word's last syllable stays a slip). Found from outside (2026-12-05).
 */
function otherDenseWordDirection(a: readonly string[], b: readonly string[]): boolean {
  if (a.length < 2 || a.length !== b.length) return false;
  return a.some((word, index) => word !== b[index] && otherDenseDirection(word, b[index]));
}

/**
 * A direction said on one side only is another street ("South Main St" / "Main St", "Süd
 * Feldstr." / "Nrd Feldstr.") unless the other side still shows it, typed so badly it no longer
 * reads as one: a word one edit from the word that said it ("Nord" / "Nrd"), or one edit from (its
 * first letter right: "Ford" is no "Nord") or starting with a spelling of the same direction
 * ("sudhauptstr" for "Süd Hauptstr.").
 */
function directionTraced(said: AddressProfile, other: AddressProfile): boolean {
  const otherWords = other.streetAsWrittenWords;
  const spellings = [...said.directions].flatMap((direction) =>
    directionSpellings(direction).filter((spelling) => spelling.length >= 3),
  );
  return otherWords.some(
    (word) =>
      said.directionWords.some(
        // Alike, or glued to the next word ("NPearl", "SOak" for "N Pearl", "S Oak").
        (sayer) =>
          (sayer.length >= 3 && withinOneEdit(sayer, word)) ||
          said.streetAsWrittenWords.some((next) => word === sayer + next),
      ) || spellings.some((spelling) => word.startsWith(spelling) || (word.length >= 2 && typedFor(word, spelling))),
  );
}

/** Direction characters that open a Chinese, Japanese or Korean place name. */
const DENSE_DIRECTIONS = /^[北南東西东북남서]/u;

/**
 * Korean's four, east (동) among them: 동 also opens names that say no direction (동작, "dong", a
 * neighbourhood), so it tells two places apart only before the same rest (동대문로 / 서대문로, the
 * east and west gates). Found from outside (2026-12-05).
 */
const KOREAN_DIRECTION = /^[동서남북]/u;

/**
 * Two dense-script names that differ in their leading direction or their closing kind (港区 and
 * 港町), or one of which is the other with a direction before it (優花区 / 西優花区: the western
 * district, as "Main St" / "West Main St" in other scripts). A direction character dropped or
 * added by a slip is then a miss; no retyping of tuning seeds 1–3 became one.
 */
function otherDenseMark(a: string, b: string): boolean {
  if (!isDenseScript(a) || !isDenseScript(b) || a === b) return false;
  const last = denseKind;
  return otherDenseDirection(a, b) || (last(a) !== undefined && last(b) !== undefined && last(a) !== last(b));
}

/** Two dense-script names that differ in the direction that opens them, or one of which is the other with a direction before it. */
function otherDenseDirection(a: string, b: string): boolean {
  if (!isDenseScript(a) || !isDenseScript(b)) return false;
  const first = (text: string) => DENSE_DIRECTIONS.exec(text)?.[0];
  // The name with a direction before it: 西優花区 is the western 優花区.
  const directionAdded = (x: string, y: string) => first(x) !== undefined && first(y) === undefined && x.slice(1) === y;
  const korean = (text: string) => KOREAN_DIRECTION.exec(text)?.[0];
  return (
    (first(a) !== undefined && first(b) !== undefined && first(a) !== first(b)) ||
    (korean(a) !== undefined && korean(b) !== undefined && korean(a) !== korean(b) && a.slice(1) === b.slice(1)) ||
    directionAdded(a, b) ||
    directionAdded(b, a)
  );
}
