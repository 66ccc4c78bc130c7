import { streetParts } from '../../src/dedupe/street-parts';
import { sameStreet } from '../support/look-alike-addresses';

/**
 * Found from outside by an independent generator (issue 17): a floor or room written after its
 * number ("8 étage", "6 OG", "4ος") and moved to the front of line 1 on the retyping was compared
 * as a house number in order, so the double submit was "other numbers" and a second order was placed.
 */
const alike = (country: string, a: string, b: string) => sameStreet(country, [a, b]);

describe('a floor or room moved to the front of line 1 is the same floor or room', () => {
  it.each([
    ['FR', '8 étage, 67 Allée de la Bûcherie', '67 Allée de la Bûcherie, 8 étage'],
    ['FR', '8e étage, 67 Allée de la Bûcherie', '67 Allée de la Bûcherie, étage 8'],
    ['DE', '6 OG, Hindenburgstr. 94c', 'Hindenburgstr. 94c, 6 OG'],
    ['DE', '3. Stock, Hindenburgstr. 94c', 'Hindenburgstr. 94c, 3. Stock'],
    ['DE', '1. Obergeschoss, Hindenburgstr. 94c', 'Hindenburgstr. 94c, 1. Obergeschoss'],
    ['GR', '4ος, Παρ. Αθανασίου 933', 'Παρ. Αθανασίου 933, 4ος'],
    ['GR', '4ος όροφος, Παρ. Αθανασίου 933', 'Παρ. Αθανασίου 933, 4ος'],
    ['DE', 'Zimmer 490, Im Burgfeld 3', 'Im Burgfeld 3, Zimmer 490'],
    ['ES', '3 piso, Calle Mayor 12', 'Calle Mayor 12, piso 3'],
    ['IT', '2° piano, Via Roma 12', 'Via Roma 12, 2° piano'],
    ['RU', '5 этаж, ул. Ленина 12', 'ул. Ленина 12, этаж 5'],
    ['GB', '2nd Floor, 12 Baker Street', '12 Baker Street, Floor 2'],
  ])('%s %s / %s: one delivery point', (country, a, b) => {
    expect(alike(country, a, b)).toBe(true);
  });

  it.each([
    ['FR', '8 étage, 67 Allée de la Bûcherie', '9 étage, 67 Allée de la Bûcherie'], // another floor
    ['FR', '8 étage, 67 Allée de la Bûcherie', '67 étage, 8 Allée de la Bûcherie'], // floor and house swapped
    ['FR', '67 Allée de la Bûcherie, 8 étage', '8 Allée de la Bûcherie, 67 étage'],
    ['DE', '6 OG, Hindenburgstr. 94c', '7 OG, Hindenburgstr. 94c'],
    ['DE', '6 OG, Hindenburgstr. 94c', 'Hindenburgstr. 6, 94 OG'],
    ['GR', '4ος, Παρ. Αθανασίου 933', '5ος, Παρ. Αθανασίου 933'],
    ['GR', '4ος, Παρ. Αθανασίου 933', 'Παρ. Αθανασίου 4, 933ος'],
    ['DE', 'Zimmer 490, Im Burgfeld 3', 'Zimmer 491, Im Burgfeld 3'],
    ['DE', 'Zimmer 490, Im Burgfeld 3', 'Im Burgfeld 490, Zimmer 3'],
    ['RU', '5 этаж, ул. Ленина 12', 'ул. Ленина 5, этаж 12'],
    ['GB', '2nd Floor, 12 Baker Street', '12nd Floor, 2 Baker Street'],
  ])('%s %s / %s: another delivery point', (country, a, b) => {
    expect(alike(country, a, b)).toBe(false);
  });

  it('reads the number before a floor word as the unit, and leaves a street named so alone', () => {
    expect(streetParts(['8 étage, 67 Allée de la Bûcherie'], 'FR')).toMatchObject({ numbers: ['67'], units: ['8'] });
    expect(streetParts(['Παρ. Αθανασίου 933, 4ος όροφος'], 'GR')).toMatchObject({ numbers: ['933'], units: ['4'] });
    // A floor word that names the street ("Stock Lane") leaves its number the house's.
    expect(streetParts(['12 Stock Lane, Flat 3'], 'GB')).toMatchObject({ numbers: ['12'], units: ['3'] });
    expect(alike('GB', '12 Stock Lane, Flat 3', '3 Stock Lane, Flat 12')).toBe(false);
  });
});

describe('a one-letter street type abbreviated with a full stop is the type, not a house letter', () => {
  it.each([
    ['EG', '8218 ش. رنيم', '8218 شارع رنيم'],
    ['EG', '8218 ش. رنيم', 'شارع رنيم 8218'],
    ['FR', '2R. de la Huchette', '2 R. de la Huchette'],
    ['FR', '2R. de la Huchette', '2 rue de la Huchette'],
  ])('%s %s / %s: one delivery point', (country, a, b) => {
    expect(alike(country, a, b)).toBe(true);
  });

  it.each([
    ['EG', '8218 ش. رنيم', '8219 شارع رنيم'],
    ['FR', '2R. de la Huchette', '3 R. de la Huchette'],
    ['FR', '2R de la Huchette', '2 de la Huchette'], // without its full stop, a letter glued to the number is the house's
    ['FR', '12B. rue de la Huchette', '12 rue de la Huchette'],
  ])('%s %s / %s: another delivery point', (country, a, b) => {
    expect(alike(country, a, b)).toBe(false);
  });
});
