/**
 * A Russian or Ukrainian name and its feminine form: the same with "а" after its last consonant
 * (family names Панов / Панова, Зайцев / Зайцева, Іванишин / Іванишина, Балабух / Балабуха): two
 * people, a husband and wife, a brother and sister. A last "а" dropped by a typo reads the same,
 * so it is used only where nothing else names the place: a house name without numbers.
 */
export function feminineForm(a: string, b: string): boolean {
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return longer === `${shorter}а` && CYRILLIC_CONSONANT_END.test(shorter);
}

const CYRILLIC_CONSONANT_END = /[бвгджзйклмнпрстфхцчшщ]$/;

/**
 * The same two houses with the space between the family name and the house word lost on one side
 * ("Балабух садиба" / "Балабухасадиба", "Тарасова дача" / "тарасовдача"): `words`, written apart,
 * are a name and what follows it; `glued`, the other side's one word, starts with the name's other
 * form and goes on with the rest. A lost space hides the "а" from a word-by-word comparison, not
 * from this one.
 */
export function feminineFormAcrossSpace(words: readonly string[], glued: string): boolean {
  for (let cut = 1; cut < words.length; cut++) {
    const rest = words.slice(cut).join('');
    if (glued.length <= rest.length || !glued.endsWith(rest)) continue;
    if (feminineForm(words.slice(0, cut).join(''), glued.slice(0, -rest.length))) return true;
  }
  return false;
}
