import { typoDistance } from './string-similarity';
import { TYPOS_IN_A_WORD } from './word-endings';

/**
 * Arabic given names of two words that are one name: a servant of God ("عبد الله", "عبد الرحمن":
 * ʿAbd and one of the names of God) and a name of the faith ("عز الدين", "نور الدين", "شمس الدين":
 * a noun and al-Dīn), written apart or together ("عبدالله"). Read word by word, the noun alone is a
 * short name within two typos of others ("عز" of "عز الدين" and "عزمي"): joined, the name is
 * compared whole, as it is one. Folded words (text-folding.ts). Not the Hebrew "בן" and "בת" (son
 * and daughter of): they open family names as often ("בן שאול"), and joined to the given name
 * before them in a reversed reading they hide it ("עלמה בן שאול" / "נעמה בן שאול").
 */

/** ʿAbd, "servant (of)": joined to the noun after it. */
const BEFORE_ITS_NOUN: ReadonlySet<string> = new Set(['عبد']);
/** al-Dīn, "(of) the faith", and Allāh: joined to the noun before it ("عطا الله", "فتح الله"). */
const AFTER_ITS_NOUN: ReadonlySet<string> = new Set(['الدين', 'الله']);

const precedesItsNoun = (word: string) => BEFORE_ITS_NOUN.has(word);
const followsItsNoun = (word: string) => AFTER_ITS_NOUN.has(word);
const isMarker = (word: string) => precedesItsNoun(word) || followsItsNoun(word);

/**
 * A word that may be "عبد", "الله" or "الدين" typed again, not as written: within two typos of a
 * word of five letters ("الدلي" for "الدين"), one of a shorter one ("عبدو" for "عبد").
 */
function mayBeMarker(word: string): boolean {
  if (isMarker(word)) return false;
  return [...BEFORE_ITS_NOUN, ...AFTER_ITS_NOUN].some(
    (marker) => typoDistance(word, marker) <= (marker.length >= 5 ? TYPOS_IN_A_WORD : 1),
  );
}

/**
 * The readings of a name's words with each two-word Arabic given name joined into one ("عز",
 * "الدين" → "عزالدين"): in the order it is written, and, for a name whose words were typed in
 * reverse ("خنفير الدين عز"), with the noun on the other side, joined in the written order
 * ("عزالدين"). A reading that leaves "عبد" or "الدين" without its noun is none. The words as they
 * are when the name has no such word or no reading, or when either name (`words`, `other`) has a
 * word that may be one typed with slips ("شمس الدين" / "شمس الدلي", "عبد الله" / "عبد اللهه"):
 * then both are read word by word.
 */
export function arabicCompoundReadings(words: readonly string[], other: readonly string[]): (readonly string[])[] {
  // Every name is compared through here: the words themselves, not a copy, when nothing is joined.
  if (!words.some(isMarker) || words.some(mayBeMarker) || other.some(mayBeMarker)) return [words];
  const readings = [joined(words, false), joined(words, true)].filter((reading) => !reading.some(isMarker));
  return readings.length > 0 ? readings : [words];
}

function joined(words: readonly string[], reversed: boolean): string[] {
  const out: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const [word, next] = [words[index], words[index + 1]];
    const [before, after] = reversed ? [followsItsNoun, precedesItsNoun] : [precedesItsNoun, followsItsNoun];
    if (next !== undefined && (before(word) || after(next))) {
      // The marker's side, whichever it was written on: "عبد" first, "الدين" last.
      out.push(precedesItsNoun(word) || followsItsNoun(next) ? word + next : next + word);
      index += 1;
    } else out.push(word);
  }
  return out;
}
