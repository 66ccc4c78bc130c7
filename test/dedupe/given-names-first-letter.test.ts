import { compareAddresses } from '../../src/dedupe/address-comparison';
import {
  isKnownGivenName,
  twoGivenNames,
  twoRecipientGivenNames,
} from '../../src/dedupe/given-names/known-given-names';
import { compareNames } from '../../src/dedupe/person-name';
import { foldedWords } from '../../src/dedupe/text-folding';

/** The one folded word of a name as the matcher reads it ("Ніна" → "нина"). */
const folded = (name: string) => foldedWords(name)[0];

/** Whether the two given names, in either order, are two people: by the lists' test and as two recipients of one surname. */
function expectTwoRecipients(a: string, b: string, surname: string, two: boolean): void {
  const [x, y] = [folded(a), folded(b)];
  expect([twoRecipientGivenNames(x, y), twoRecipientGivenNames(y, x)]).toEqual([two, two]);
  expect(compareNames(`${a} ${surname}`, `${b} ${surname}`).compatible).toBe(!two);
  expect(compareNames(`${surname} ${b}`, `${a} ${surname}`).compatible).toBe(!two);
}

describe('two listed given names one edit apart on the first letter (issue 17, seventh round)', () => {
  it.each([
    // A first letter dropped or added between two listed names: Ukrainian, then German.
    ['Братимир', 'Ратимир', 'Данилишин'],
    ['Градимир', 'Радимир', 'Люта'],
    ['Влада', 'Лада', 'Лобачевський'],
    ['Анна', 'Жанна', 'Силецький'],
    ['Anja', 'Sanja', 'Nitzsche'],
    ['Manuel', 'Emanuel', 'Einert'],
    // A first letter put for another, in the short Cyrillic lists and in the long Latin ones.
    ['Hanna', 'Janna', 'Lohmann'],
    ['Joris', 'Loris', 'Kreb'],
    ['Boris', 'Joris', 'Pingpank'],
    ['Liana', 'Riana', 'Gombert'],
  ])('%s and %s are two recipients, read either way', (a, b, surname) => {
    expect([isKnownGivenName(folded(a)), isKnownGivenName(folded(b))]).toEqual([true, true]);
    expectTwoRecipients(a, b, surname, true);
  });

  it.each([
    // A typo after the first letter that makes no listed name.
    ['Братимир', 'Братимри', 'Данилишин'],
    ['Градимир', 'Грамидир', 'Люта'],
    ['Joris', 'Jorsi', 'Kreb'],
    ['Liana', 'Lianna', 'Gombert'],
    // A slip after the first letter between two listed names is still forgiven, as before.
    ['Helena', 'Helen', 'Ludolf'],
    ['Руслана', 'Руслан', 'Борецька'],
    // One letter put for another after the first, between names of the long Latin lists.
    ['Sofie', 'Sofia', 'Burkhard'],
  ])('%s retyped as %s is still one recipient, read either way', (a, b, surname) => {
    expectTwoRecipients(a, b, surname, false);
  });

  it('leaves a first letter that makes no listed name to the edit distance, as before', () => {
    expect(isKnownGivenName(folded('Долеслава'))).toBe(false);
    expectTwoRecipients('Болеслава', 'Долеслава', 'Луцька', false);
    expectTwoRecipients('Lovelace', 'Kovelace', 'Byron', false);
  });

  it("keeps house and street words to the lists' own test: a numbered street may carry two typos", () => {
    expect(twoGivenNames(folded('Владислав'), folded('Ладислав'))).toBe(false);
    const street = {
      name: 'Maximillia Auer',
      line1: '112 Riley Fords',
      line2: 'Apt 369',
      city: 'New Alekberg',
      postalCode: '03488',
      country: 'US',
    };
    expect(compareAddresses(street, { ...street, line1: '112 Kiley Motorway' }).differences).toEqual(['other street']);
  });
});
