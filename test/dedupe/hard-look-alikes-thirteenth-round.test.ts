import { greekFeminineForm } from '../../src/dedupe/greek-feminine-form';
import { sameStreet } from '../support/look-alike-addresses';

/** The thirteenth tuning round (issue 17, seeds 1–3 of the locale stream): each rule both ways. */

describe('a Greek family name and its feminine form name two houses', () => {
  it.each([
    ['Παπαδάκης Οικία', 'Παπαδάκη Οικία'], // -ης / -η
    ['Παπαδόπουλος Βίλα', 'Παπαδοπούλου Βίλα'], // -ος / -ου, the accent moved
    ['Κανέλλος Βίλα', 'ΚΑΝΕΛΛΟΥ ΒΙΛΑ'],
    ['Μπάκας Οικία', 'Μπάκα Οικία'], // -ας / -α
    ['Παπαδάκης Οικία', 'ΠαπαδάκηΟικία'], // also across a lost space
  ])('%s / %s: another house', (a, b) => {
    expect(sameStreet('GR', [a, b], 'Ερμού')).toBe(false);
  });

  it.each([
    ['Παπαδάκη Οικία', 'Παπαδακη Οικια'], // accents left out
    ['Παπαδοπούλου Βίλα', 'Παπαδοπούλυο Βίλα'], // two letters swapped
    ['Κανέλλου Βίλα', 'Κανέλου Βίλα'], // a doubled letter typed once
    ['Παπαδάκης Οικία', 'Παπαδάκης  Οικία'], // a space doubled
    ['Παπαδάκης Οικία', 'ΠαπαδάκηςΟικία'], // a space lost
  ])('%s / %s: the same house typed again', (a, b) => {
    expect(sameStreet('GR', [a, b], 'Ερμού')).toBe(true);
  });

  it('reads the endings of the two genders after a whole stem of three letters or more', () => {
    expect(greekFeminineForm('παπαδακησ', 'παπαδακη')).toBe(true);
    expect(greekFeminineForm('κανελλου', 'κανελλοσ')).toBe(true);
    expect(greekFeminineForm('μπακα', 'μπακασ')).toBe(true);
    expect(greekFeminineForm('ροσ', 'ρου')).toBe(false); // no stem of three letters
    expect(greekFeminineForm('παπαδακησ', 'παπαδακα')).toBe(false); // -ης has no -α
    expect(greekFeminineForm('pappas', 'pappa')).toBe(false);
  });
});

describe('a direction typed with one typo keeps its first letter', () => {
  it.each([
    ['US', '15 Lord Street', '15 North Lord Street'], // "Lord" is no "Nord"
    ['US', '12 North Stone Ford', '12 SStone Ford'], // "Ford" hid the North on the side that said South
  ])('%s %s / %s: another street', (country, a, b) => {
    expect(sameStreet(country, [a, b])).toBe(false);
  });

  it.each([
    ['US', '15 Lord Street', '15 Lord St'],
    ['US', '12 North Elm Ford', '12 NElm Ford'], // the direction's letter glued to the name
    ['US', '12 North Elm Ford', '12 Nrth Elm Ford'], // a letter of the direction dropped
    ['DE', 'Nordstr. 8', 'Nrodstr. 8'],
    ['SA', 'شارع كمال 164', 'شارعكمال 164'], // "كمال" (Kamal) is one letter from "شمال" (north)
  ])('%s %s / %s: the same street typed again', (country, a, b) => {
    expect(sameStreet(country, [a, b])).toBe(true);
  });
});

describe('a Cyrillic or Greek stem of three letters carries one typo, not two', () => {
  it.each([
    ['RU', 'ул. Липовая, д. 12', 'ул. Луговая, д. 12'], // лип / луг, the ending -овая shared
    ['UA', 'вул. Лісова, 12', 'вул. Липова, 12'], // ліс / лип
  ])('%s %s / %s: another street', (country, a, b) => {
    expect(sameStreet(country, [a, b])).toBe(false);
  });

  it.each([
    ['RU', 'ул. Луговая, д. 12', 'ул. Лкговая, д. 12'], // one typo in the stem
    ['RU', 'ул. Луговая, д. 12', 'ул. Лугвоая, д. 12'], // two letters of the ending swapped
    ['RU', 'ул. Мостовая, д. 12', 'ул. Мсотвая, д. 12'], // two typos in a longer stem
    ['UA', 'вул. Лісова, 12', 'вул. Ліісова, 12'],
  ])('%s %s / %s: the same street typed again', (country, a, b) => {
    expect(sameStreet(country, [a, b])).toBe(true);
  });
});

describe('Loop and Path, suffixes of USPS Publication 28, name a kind of street', () => {
  it.each([
    ['12 Daren Heights', '12 Karen Loop'], // a loop and heights, the names a letter apart
    ['40 Rowe Path', '40 Rose Mount'],
  ])('%s / %s: another street', (a, b) => {
    expect(sameStreet('US', [a, b])).toBe(false);
  });

  it.each([
    ['12 Karen Loop', '12 KarenLoop'], // a space lost
    ['12 Karen Loop', '12 Karen Looop'], // a letter of the type doubled
    ['12 Karen Loop', '12 Kraen Loop'], // a typo in the name
    ['40 Rowe Path', '40 Rowe Paths'],
    ['40 Rowe Path', '40 Rowe'], // the type left out
    ['7 Path Lane', '7 Path Ln'], // a type as the name
  ])('%s / %s: the same street typed again', (a, b) => {
    expect(sameStreet('US', [a, b])).toBe(true);
  });
});

describe('two street types written out at the ends of the street, and differing, make another street', () => {
  it.each([
    ['FR', '224 Avenue de la Paix', '224 Rue de la Paix'], // alike through the name alone
    ['FR', '28 Boulevard Victor Hugo', '28 Allée Victor Hugo'],
    ['IL', 'שדרות סעדיה 103', 'דרך סעדיה 103'], // an avenue and a road
    ['US', '12 Cedar Road', '12 Cedar Lane'],
  ])('%s %s / %s: another street', (country, a, b) => {
    expect(sameStreet(country, [a, b])).toBe(false);
  });

  it.each([
    ['FR', '224 Avenue de la Paix', '224 Av. de la Paix'], // the same type abbreviated
    ['FR', '224 Avenue de la Paix', '224 Avenuue de la Paix'], // the type mistyped
    ['FR', '224 Avenue de la Paix', '224 AvenuedelaPaix'], // glued to the name
    ['US', '212 St Johns Road', '212 Street Johns Rd'], // two types on a side: saint or street
    ['DE', 'Paul-Löbe-Str. 222', 'PauPl-Löbe-Str. 222'], // a type read inside the street
  ])('%s %s / %s: the same street typed again', (country, a, b) => {
    expect(sameStreet(country, [a, b])).toBe(true);
  });
});
