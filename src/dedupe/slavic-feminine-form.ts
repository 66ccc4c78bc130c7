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
