import { compareAddresses } from '../../src/dedupe/address-comparison';
import { isKnownGivenName, twoGivenNames } from '../../src/dedupe/given-names/known-given-names';
import { compareNames } from '../../src/dedupe/person-name';
import { foldedWords } from '../../src/dedupe/text-folding';

/** The one folded word of a name as the matcher reads it ("Angélina" → "angelina"). */
const folded = (name: string) => foldedWords(name)[0];

describe('published lists of given names (issue 17, fourth round)', () => {
  it('knows given names of every list, folded as name words are', () => {
    for (const name of ['Noemie', 'Angélina', 'Marko', 'Леонид', 'Юстина', 'Ростислав', 'رشيد', 'איתן'])
      expect({ name, known: isKnownGivenName(folded(name)) }).toEqual({ name, known: true });
    for (const word of ['scheuring', 'lovelace', 'гнатишин', 'الخليفي', 'ada lovelace'])
      expect({ word, known: isKnownGivenName(word) }).toEqual({ word, known: false });
  });

  it.each([
    // Two listed names two edits apart or more: two people.
    ['Milena', 'Mila'],
    ['Marian', 'Marta'],
    ['Леонид', 'Леон'],
    ['Панкрат', 'Панкратий'],
    ['فاخر', 'فخري'],
    // Two common names (short lists, or a census's frequent names) with one letter put for another.
    ['Устина', 'Юстина'],
    ['رشاد', 'رشيد'],
    ['אילן', 'איתן'],
  ])('%s and %s are two given names', (a, b) => {
    expect(twoGivenNames(folded(a), folded(b))).toBe(true);
  });

  it.each([
    // A slip of the hand between two listed names is still a typo: dropped, added, doubled, swapped.
    ['Corrine', 'Corrinne'],
    ['Helena', 'Helen'],
    ['Nela', 'Neal'],
    ['Владислав', 'Ладислав'],
    // One letter put for another between names of the long Latin lists, dense with spellings.
    ['Bailey', 'Bailei'],
    // A word no list knows says nothing: the edit distance decides as before.
    ['Lovelace', 'Lovelcae'],
    ['Ada', 'Ada'],
  ])('%s and %s are not told apart by the lists', (a, b) => {
    expect(twoGivenNames(folded(a), folded(b))).toBe(false);
  });

  it.each([
    ['Milena Scheuring', 'Mila Scheuring', false],
    ['Андроник Ситников', 'андрон ситников', false],
    ['رشاد الخليفي', 'رشيد الخليفي', false],
    ['איתן בן שמחון', 'אילן בן שמחון', false],
    ['Παρασκευάς Ζάρκος', 'Παρασκευη Ζάρκος', false],
    // Still one recipient: a typo in a listed name that makes no other listed name, or only a slip.
    ['Milena Scheuring', 'Milnea Scheuring', true],
    ['Corrine Borer', 'Corrinne Borer', true],
    ['Helena Schulte', 'Helen Schulte', true],
    ['Юстина Розпутній', 'ЮСТИНА РОЗПУТНІЙ', true],
    ['איתן בן שמחון', 'איתנ בן שמחון', true],
  ])('%s and %s: one recipient %s', (a, b, same) => {
    expect(compareNames(a, b).compatible).toBe(same);
  });
});

describe('the feminine form of a Slavic name (issue 17, fourth round)', () => {
  const dacha = {
    name: 'Анна Иванова',
    line1: 'Панов дача',
    line2: 'Ивановская пл.',
    city: 'Москва',
    postalCode: '101000',
    country: 'RU',
  };

  it('takes a house named after the feminine form of a family name for another house', () => {
    expect(compareAddresses(dacha, { ...dacha, line1: 'Панова дача' }).differences).toEqual(['other street']);
    const villa = { ...dacha, line1: 'Іванишин вілла', line2: 'Коліївщини майдан', country: 'UA' };
    expect(compareAddresses(villa, { ...villa, line1: 'Іванишина вілла' }).differences).toEqual(['other street']);
  });

  it('still reads one typo in a house name, and a house with numbers, as before', () => {
    expect(compareAddresses(dacha, { ...dacha, line1: 'Паноы дача' }).differences).toEqual([]);
    const numbered = { ...dacha, line1: 'ул. Панова, д. 5' };
    expect(compareAddresses(numbered, { ...numbered, line1: 'ул. Панов, д. 5' }).differences).toEqual([]);
  });

  it('keeps a listed given name and its feminine form for one person: a last letter dropped is as likely', () => {
    expect(compareNames('Руслана Борецька', 'руслан борецька').compatible).toBe(true);
  });
});

describe('the other gender of a Greek given name', () => {
  it.each([
    ['Παρασκευάς Ζάρκος', 'Παρασκευή Ζάρκος'],
    ['Ευάγγελος Γιάνναρης', 'Ευαγγελία Γιάνναρης'],
  ])('%s and %s are two people', (a, b) => {
    expect(compareNames(a, b).compatible).toBe(false);
  });
});

describe('Greek given names (Greek-namedays, el-name-tools)', () => {
  /** Whether the two names, in either order, are two people: by the lists' test and for two recipients of one surname. */
  function expectTwoRecipients(a: string, b: string, two: boolean): void {
    expect([twoGivenNames(folded(a), folded(b)), twoGivenNames(folded(b), folded(a))]).toEqual([two, two]);
    expect(compareNames(`${a} Ζάρκος`, `${b} Ζάρκος`).compatible).toBe(!two);
    expect(compareNames(`${b} Ζάρκος`, `${a} Ζάρκος`).compatible).toBe(!two);
  }

  it('knows Greek given names of both lists, folded as name words are (accents, capitals, final sigma)', () => {
    for (const name of ['Σταύρος', 'ΣΠΥΡΟΣ', 'Αχιλλεύς', 'Αχιλλέας', 'Ιωάννα', 'Γεώργιος', 'Γιώργος', 'Μάρκος'])
      expect({ name, known: isKnownGivenName(folded(name)) }).toEqual({ name, known: true });
    for (const word of ['παπαδοπουλου', 'λεωφοροσ'])
      expect({ word, known: isKnownGivenName(word) }).toEqual({ word, known: false });
  });

  it.each([
    // Two listed names two edits apart or more.
    ['Σταύρος', 'Σπύρος'],
    ['Ευάγγελος', 'Άγγελος'],
    ['Ευτυχία', 'Ευθυμία'],
  ])('%s and %s are two recipients, read either way', (a, b) => expectTwoRecipients(a, b, true));

  it.each([
    // One typo that makes no other listed name: two letters swapped, a neighbouring key, a letter typed once.
    ['Σταύρος', 'Σταύρςο'],
    ['Σπύρος', 'Σπύεος'],
    ['Ευάγγελος', 'Ευάγελος'],
    // One letter put for another between two Greek names is read as a typo, as in the long Latin
    // lists: on the tuning seeds, telling them apart only missed retypings.
    ['Μάρκος', 'Μάριος'],
  ])('%s retyped as %s is still one recipient, read either way', (a, b) => expectTwoRecipients(a, b, false));
});

describe('houses and streets named after people (issue 17, sixth round)', () => {
  const hebrew = {
    name: 'דנה לוי',
    line1: 'רם וילה',
    line2: 'שדרות רומן רולן',
    city: 'חיפה',
    postalCode: '3303000',
    country: 'IL',
  };
  const arabic = {
    name: 'سارة الخليفي',
    line1: 'رشاد فيلا',
    line2: 'ساحة السقاط',
    city: 'أسوان',
    postalCode: '81231',
    country: 'SA',
  };
  const house = (line1: string) => (/\p{sc=Hebrew}/u.test(line1) ? { ...hebrew, line1 } : { ...arabic, line1 });

  it.each([
    // Without any number: two listed given names, told apart as the recipient's are, are two houses.
    ['רם וילה', 'רן וילה'],
    ['חי וילה', 'חן וילה'],
    ['אלדד בית', 'אלעד בית'],
    ['رشاد فيلا', 'رشيد فيلا'],
    ['منير فيلا', 'منذر فيلا'],
  ])('%s and %s, without numbers, are two houses', (a, b) => {
    expect(compareAddresses(house(a), house(b)).differences).toEqual(['other street']);
    expect(compareAddresses(house(b), house(a)).differences).toEqual(['other street']);
  });

  it.each([
    // One typo that makes no listed name, or a slip between two listed names, is the same house typed again.
    ['אלדד בית', 'אלדג בית'],
    ['אלדד בית', 'אלדדד בית'],
    ['רום וילה', 'רם וילה'],
    ['رشاد فيلا', 'رشاذ فيلا'],
  ])('%s retyped as %s is the same house', (a, b) => {
    expect(compareAddresses(house(a), house(b)).differences).toEqual([]);
    expect(compareAddresses(house(b), house(a)).differences).toEqual([]);
  });

  it('takes a street without numbers named after another listed person for another street', () => {
    const lane = { ...hebrew, line2: 'שדרות אלדד' };
    expect(compareAddresses(lane, { ...lane, line2: 'שדרות אלעד' }).differences).toEqual(['other street']);
    expect(compareAddresses(lane, { ...lane, line2: 'שדרות אלדג' }).differences).toEqual([]);
  });

  it('tells two common names one letter apart in a numbered street, and still forgives a typo there', () => {
    const street = { ...arabic, line1: 'شارع رشيد 65', line2: 'شقة 8' };
    expect(compareAddresses(street, { ...street, line1: 'شارع رشاد 65' }).differences).toEqual(['other street']);
    const square = { ...street, line1: 'ساحة منير 176' };
    expect(compareAddresses(square, { ...square, line1: 'ساحة منذر 176' }).differences).toEqual(['other street']);
    expect(compareAddresses(street, { ...street, line1: 'شارع رشيذ 65' }).differences).toEqual([]);
  });

  it('still forgives two typos in a numbered street whose words are two listed Latin names ("Genesis" / "Genes")', () => {
    const branch = { ...arabic, line1: '71 Genesis Branch', line2: 'Apt 158', city: 'Leeds', country: 'GB' };
    expect(compareAddresses(branch, { ...branch, line1: '71 Genes Branch' }).differences).toEqual([]);
  });
});
