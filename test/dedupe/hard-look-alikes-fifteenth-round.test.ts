import { compareAddresses } from '../../src/dedupe/address-comparison';
import { compareNames } from '../../src/dedupe/person-name';
import { runsReadOnce } from '../../src/dedupe/string-similarity';
import { placeKindSlip, repeatedCharacterOnly } from '../../src/dedupe/dense-script-slips';
import { spacedAfterAbbreviatedType } from '../../src/dedupe/hebrew-abbreviated-type';
import { lookAlikeAddress, sameStreet } from '../support/look-alike-addresses';

/** The fifteenth tuning round (issue 17, seeds 1–3 of the locale stream): each rule both ways. */

/** Whether two Japanese addresses at one block and lot, told apart by their district alone, are one delivery point. */
const sameDistrict = (a: string, b: string): boolean =>
  compareAddresses(lookAlikeAddress('JP', '3丁目4番15号', null, a), lookAlikeAddress('JP', '3丁目4番15号', null, b))
    .alike;

describe('in Chinese, Japanese and Korean, a character typed again beside itself is a slip, not another place', () => {
  it.each([
    ['南ユリ市', '南ユリリ市'], // weight 6: short names allow no other typo
    ['北森山村', '北森山山山村'], // the character typed three times
    ['湖奥村', '湖奥奥村'],
    ['北ひなた区', '北ひなたた区'],
  ])('%s / %s: the same district typed again', (a, b) => {
    expect(sameDistrict(a, b)).toBe(true);
  });

  it.each([
    ['東キヨ市', '東キノ市'], // a character put for another: another name
    ['南ユリ市', '南ユリ町'], // another kind of place
    ['南ユリ市', '南ユ市'], // a character dropped
    ['北ひなた区', '北ひたな区'], // two characters swapped
    ['南ユリ市', '南ユリユリ市'], // a syllable typed again is no repeated character
  ])('%s / %s: another district', (a, b) => {
    expect(sameDistrict(a, b)).toBe(false);
  });

  it('reads streets so too, and only in the dense scripts', () => {
    expect(sameStreet('CN', ['长江路12号', '长江江路12号'])).toBe(true);
    expect(sameStreet('KR', ['학송대로 53', '학송송대로 53'])).toBe(true);
    expect(sameStreet('CN', ['长江路12号', '长沙路12号'])).toBe(false);
    expect(repeatedCharacterOnly('ハナナ', 'ハナ')).toBe(true);
    expect(repeatedCharacterOnly('ハナ', 'ハナ')).toBe(false);
    expect(repeatedCharacterOnly('anna', 'ana')).toBe(false); // Latin keeps its edit distance
  });
});

describe('a Japanese district with its kind left out or typed one character early is the same district', () => {
  it.each([
    ['湖ユリ村', '湖ユリ'], // the village's 村 left out
    ['南サキ市', '南サキ'],
    ['東サキ市', '東サ市キ'], // 市 typed before the last character
    ['北あさひ区', '北 あさ区ひ'],
  ])('%s / %s: the same district typed again', (a, b) => {
    expect(sameDistrict(a, b)).toBe(true);
  });

  it.each([
    ['北田村市', '北田市村'], // a kind at each end: two places
    ['南サキ市', '南サキ町'],
    ['東サキ市', '東市サキ'], // the kind two characters early
    ['東サキ市', '東サ'], // a character dropped as well
  ])('%s / %s: another district', (a, b) => {
    expect(sameDistrict(a, b)).toBe(false);
  });

  it('reads the kind only in the dense scripts', () => {
    expect(placeKindSlip('港区', '港')).toBe(true);
    expect(placeKindSlip('港区', '港区')).toBe(false);
    expect(placeKindSlip('Minato-ku', 'Minato')).toBe(false);
  });
});

describe('a Hebrew street type abbreviated with a geresh ends there, its space lost or not', () => {
  it.each([
    ['רחוב הגפן 40', "רח'הגפנן 40"], // a letter typed twice in the name as well
    ['רחוב הדקל 12', "רח'הדקלל 12"],
    ['רחוב המעיין 7', "רח'המעין 7"], // a letter dropped
    ['שדרות הנשיא 3', "שד'הנשיאא 3"],
  ])('%s / %s: the same street typed again', (a, b) => {
    expect(sameStreet('IL', [a, b])).toBe(true);
  });

  it.each([
    ['רחוב הגפן 40', "רח'הזית 40"], // another name after the type
    ['רחוב הדקל 12', "שד'הדקל 12"], // an avenue of the same name
  ])('%s / %s: another street', (a, b) => {
    expect(sameStreet('IL', [a, b])).toBe(false);
  });

  it('splits off a type of the vocabulary only, not a geresh that writes a sound', () => {
    expect(spacedAfterAbbreviatedType("רח'הגפן 40")).toBe("רח' הגפן 40");
    expect(spacedAfterAbbreviatedType("רחוב ג'ורג' 5")).toBe("רחוב ג'ורג' 5");
    expect(spacedAfterAbbreviatedType("דרך חג'ר 9")).toBe("דרך חג'ר 9");
  });
});

describe("a letter three times running in a recipient's name is a key typed again, read once", () => {
  it.each([
    ['דנה לוי', 'דננננה לוי'], // three letters more: beyond the two typos a name word may carry
    ['נועה כהן', 'נוועעעה כהן'], // a letter doubled as well
    ['Gustave Roy', 'Guuustave Roy'],
    ['فادي سعد', 'فاااادي سعد'],
  ])('%s / %s: the same recipient', (a, b) => {
    expect(compareNames(a, b).compatible).toBe(true);
  });

  it.each([
    ['Sammy Roy', 'Sally Roy'], // a letter twice is a spelling: not read once
    ['Анна Силенко', 'Жанна Силенко'],
    ['דנה לוי', 'דוווד לוי'], // read once, still another name
  ])('%s / %s: two recipients', (a, b) => {
    expect(compareNames(a, b).compatible).toBe(false);
  });

  it('reads runs once from three letters for names, from two for dense place names', () => {
    expect(runsReadOnce('guuustave', 3)).toBe('gustave');
    expect(runsReadOnce('sammy', 3)).toBe('sammy');
    expect(runsReadOnce('sammy')).toBe('samy');
  });
});

describe('a French "voie" is a kind of street, not a word of its name', () => {
  it.each([
    ['8 Voie des Lilas', '8 Passage des Lilas'],
    ['8 Voie Lamartine', '8 Allée Lamartine'],
    ['8 Voie des Lilas', '8 Voie Saint-Rémy'],
  ])('%s / %s: another street', (a, b) => {
    expect(sameStreet('FR', [a, b])).toBe(false);
  });

  it.each([
    ['8 Voie des Lilas', '8 Voie des Lilsa'],
    ['8 Voie des Lilas', '8 VOIE DES LILAS'],
    ['8 Voie Lamartine', '8 Voie Lamartin'],
  ])('%s / %s: the same street typed again', (a, b) => {
    expect(sameStreet('FR', [a, b])).toBe(true);
  });
});

describe('a type split off a word on one side only is weighed against the words as written', () => {
  it.each([
    ['14 Voie Laporte', '14 Vooe Laporte'], // "Vooe" is no type, so "Laporte" was read as "Lapo" + "rte"
    ['14 Voie Laporte', '14 Voie Lapotre'],
  ])('%s / %s: the same street typed again', (a, b) => {
    expect(sameStreet('FR', [a, b])).toBe(true);
  });

  it.each([
    ['FR', '14 Voie Laporte', '14 Vooe Lafitte'],
    ['FR', '14 Voie Laporte', '14 Passage Laporte'],
    ['DE', '12 Behringstr.', '12 Beerenstr.'], // split on both sides: the names alone, as before
  ])('%s %s / %s: another street', (country, a, b) => {
    expect(sameStreet(country, [a, b])).toBe(false);
  });
});
