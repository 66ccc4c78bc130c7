/**
 * Russian and Ukrainian place names made from another with a prepositional prefix: за- (beyond),
 * под- / під- (below), над- (above), при- (by), меж- / між- (between): "Заречная" is the street
 * beyond the river, "Речная" the one by it; "Подгорная" and "Горная", "Заовражная" and "Овражная"
 * are two streets. A typist does not add or drop the two or three letters of a prefix at a word's
 * start by a slip. Folded words (text-folding.ts).
 */
const PREFIXES: readonly string[] = ['за', 'под', 'над', 'при', 'меж', 'під', 'між'];

/** One word is the other with a prepositional prefix before it (and the other is a word of four letters or more). */
export function otherPrefixedPlace(a: string, b: string): boolean {
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return shorter.length >= 4 && PREFIXES.some((prefix) => longer === prefix + shorter);
}
