import { directionSpellings, vocabularyEntry } from './address-vocabulary';
import { typedFor } from './address-words';

/** Apostrophes, straight and typographic, and the accents typed for them. */
const APOSTROPHES = /['’`´]/g;

/**
 * An elided article (French "l'", "d'"; Italian "dell'", "all'" …) glued by its apostrophe to a
 * direction, in folded text.
 */
const ELIDED_ARTICLE = /(?<![\p{L}\d])(l|d|dell|dall|all|nell|sull)['’`´](\p{L}+)/gu;

/** Direction spellings of three letters or more ("est", "ouest", "nord"), which a typo does not hide. */
const SPELLED_DIRECTIONS = ['north', 'south', 'east', 'west'].flatMap((canonical) =>
  directionSpellings(canonical).filter((spelling) => spelling.length >= 3),
);

/** A direction, or one typed with one typo and its first letter right ("l'Esr", "l'Oeust"). */
function directionLike(word: string): boolean {
  return (
    vocabularyEntry(word)?.kind === 'direction' ||
    (word.length >= 3 && SPELLED_DIRECTIONS.some((spelling) => typedFor(word, spelling)))
  );
}

/**
 * Folded street text without its apostrophes ("O'Brien" → "obrien"), except that an elided article
 * before a direction stays a word of its own: "rue de l'Est" and "rue de l'Ouest" read "l est" and
 * "l ouest", two directions, not the names "lest" and "louest" one typo apart that were held as
 * one street (outside look-alikes, second round). A retyping without the apostrophe ("de lEst")
 * still shows the direction, one letter from "est", as street-directions.ts reads it, and so does
 * one with a typo in the direction ("de l'Esr", "de l'Oeust"), split from its article as well.
 */
export function withoutApostrophes(folded: string): string {
  return folded
    .replace(ELIDED_ARTICLE, (whole, article: string, word: string) =>
      directionLike(word) ? `${article} ${word}` : whole,
    )
    .replace(APOSTROPHES, '');
}
