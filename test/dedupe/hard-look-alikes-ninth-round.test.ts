import { compareAddresses } from '../../src/dedupe/address-comparison';
import { addressProfile } from '../../src/dedupe/address-profile';
import { feminineFormAcrossSpace } from '../../src/dedupe/slavic-feminine-form';
import { lookAlikeAddress, sameStreet } from '../support/look-alike-addresses';

/** The ninth tuning round (issue 17, seeds 1–3 of the locale stream): each rule both ways. */

const sameCity = (country: string, line1: string, [a, b]: [string, string]) =>
  compareAddresses(lookAlikeAddress(country, line1, null, a), lookAlikeAddress(country, line1, null, b)).alike;

describe('an Arabic street of another kind is another street', () => {
  it.each([
    ['جادة وليد 141', 'ساحة وليد 141'], // the avenue and the square named after the same man
    ['ساحة سعيد 209', 'شارع سعيد 209'], // the square and the street
    ['درب، طريق عمر 254', 'ساحة عمار 254'], // a lane and road, a square
    ['سبيل على 211', 'شارع علوي 211'], // a path, a street
  ])('%s / %s: another street', (a, b) => {
    expect(sameStreet('SA', [a, b], 'شقة 13')).toBe(false);
  });

  it.each([
    ['شارع ظافر 254', 'شراع ظافر 254'], // the type typed too badly to read: a name word, not another type
    ['درب، طريق الغربي 183', 'درب، طيق الغربي 183'], // one of two types typed badly, the other still shared
    ['شَارِع العنابي 221', 'شارع العنابي 221'], // vowel signs left out
    ['ساحة معز 62', 'ساحة معتز 62'], // the same kind, the name with a typo
  ])('%s / %s: the same street typed again', (a, b) => {
    expect(sameStreet('SA', [a, b], 'شقة 13')).toBe(true);
  });
});

describe("a Slavic family name's feminine form across a lost space", () => {
  it.each([
    ['UA', 'Балабух садиба', 'Балабухасадиба', 'пров. Вузька'],
    ['UA', 'Сплюх вілла', 'СПЛЮХАВІЛЛА', 'пр. Рудного'],
    ['RU', 'Тарасова дача', 'тарасовдача', 'набережная Осенняя'],
  ])('%s %s / %s: another house', (country, a, b, street) => {
    expect(sameStreet(country, [a, b], street)).toBe(false);
  });

  it.each([
    ['UA', 'Балабух садиба', 'Балабухсадиба', 'пров. Вузька'],
    ['UA', 'Сплюх вілла', 'СПЛЮХВІЛЛА', 'пр. Рудного'],
    ['RU', 'Тарасова дача', 'тарасовадача', 'набережная Осенняя'],
  ])('%s %s / %s: the same house, a space lost', (country, a, b, street) => {
    expect(sameStreet(country, [a, b], street)).toBe(true);
  });

  it('reads the name and the word after it, not a letter inside the name', () => {
    expect(feminineFormAcrossSpace(['балабух', 'садиба'], 'балабухасадиба')).toBe(true);
    expect(feminineFormAcrossSpace(['балабух', 'садиба'], 'балабухсадиба')).toBe(false);
    expect(feminineFormAcrossSpace(['балабух', 'садиба'], 'балабухасадба')).toBe(false);
  });
});

describe('a Chinese, Japanese or Korean place with a direction on one side only', () => {
  it.each([
    ['5丁目3番224号', '優花区', '西優花区'],
    ['8丁目3番117号', '正男区', '北正男区'],
  ])('%s, %s / %s: another place', (line1, a, b) => {
    expect(sameCity('JP', line1, [a, b])).toBe(false);
  });

  it.each([
    ['5丁目3番224号', '西優花区', '西 優花区'], // a space added
    ['8丁目3番117号', '北正男区', '北 正男区'],
    ['1丁目7番241号', '南陽太郎市', '南陽太郎郎市'], // a character typed twice
    ['5丁目6番231号', '北陽大町', '北北陽大町'], // the direction typed twice: a direction on both sides
  ])('%s, %s / %s: the same place', (line1, a, b) => {
    expect(sameCity('JP', line1, [a, b])).toBe(true);
  });
});

describe('a named house on a numbered street is numbered by its words alone', () => {
  it.each([
    ['Franey Lodge', 'FRANEY-KOZEY LODGE', 'Eighth Avenue', 'EIGHTH AVE'], // a word more on one side
    ['Cronin Cottage', 'Kulas-Crona Cottage', 'First Street', 'First Street'],
    ['Brown Barn', 'Bruen Barn', 'Seventh Street', '7th St'], // two letters put for others
  ])('%s / %s: another house', (a, b, streetA, streetB) => {
    expect(compareAddresses(lookAlikeAddress('US', a, streetA), lookAlikeAddress('US', b, streetB)).alike).toBe(false);
  });

  it.each([
    ['Franey Lodge', 'Frany Lodge', 'Eighth Avenue', '8th Ave'], // one typo, the first letter right
    ['Brown Barn', 'BROWN BARN', 'Seventh Street', '7th St'],
  ])('%s / %s: the same house typed again', (a, b, streetA, streetB) => {
    expect(compareAddresses(lookAlikeAddress('US', a, streetA), lookAlikeAddress('US', b, streetB)).alike).toBe(true);
  });

  it("sets aside the street's ordinal, not a house number", () => {
    expect(addressProfile(lookAlikeAddress('US', 'Rose Cottage', 'Fifth Avenue')).houseNumbered).toBe(false);
    expect(addressProfile(lookAlikeAddress('US', 'Rose Cottage', '5th Avenue')).houseNumbered).toBe(false);
    expect(addressProfile(lookAlikeAddress('US', '12 Fifth Avenue')).houseNumbered).toBe(true);
    expect(addressProfile(lookAlikeAddress('US', '5 5th Avenue')).houseNumbered).toBe(true);
  });
});
