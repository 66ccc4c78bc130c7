import { readFileSync } from 'node:fs';
import path from 'node:path';
import arabicNames from 'arabic-name-to-en/cases/fullnamedb';
import deNames from 'gender-detection-from-name/names/de';
import enNames from 'gender-detection-from-name/names/en';
import esNames from 'gender-detection-from-name/names/es';
import frNames from 'gender-detection-from-name/names/fr';
import itNames from 'gender-detection-from-name/names/it';
import trNames from 'gender-detection-from-name/names/tr';
import russianNames from 'ru-names';
import { GREEK_GIVEN_NAME_FORMS } from './greek-given-name-forms';
import { GREEK_GIVEN_NAMES } from './greek-given-names';
import { UKRAINIAN_GIVEN_NAMES } from './ukrainian-given-names';

/** A published list of given names, as written (folding is the caller's). */
export interface GivenNameList {
  source: string;
  names: readonly string[];
  /**
   * Whether the list holds only names common enough that a letter put for another rarely lands on
   * one of them (a few thousand names, or a census's names above a count), so that one letter put
   * for another between two of its names means two people. Long lists (tens of thousands of names
   * and spellings) are dense with one-letter variants: only two letters apart tell people apart.
   */
  common: boolean;
}

/**
 * Given names as published by others. None is derived from @faker-js/faker, whose names the
 * evaluation stream draws: the matcher must not know the stream's own vocabulary
 * (docs/duplicates.md, "Lists of given names").
 *
 * - gender-detection-from-name 1.11.5 (MIT, Davide Violante): 85,000 English, German, French,
 *   Italian, Spanish and Turkish given names and spellings, Latin script.
 * - ru-names 1.0.7 (MIT, mleg): 1,990 given names met in Russia and the former USSR, Cyrillic.
 * - shevchenko 3.1.1 (MIT, Oleksandr Tolochko): 1,142 Ukrainian given names (ukrainian-given-names.ts).
 * - arabic-name-to-en 1.0.6 (ISC, hamdongunner): 2,515 Arabic given names, Arabic script.
 * - hebrew-names 1.0.1 (MIT; data public domain, Israel's Central Bureau of Statistics 1948–2021):
 *   4,243 given names of Israel's Jewish, Muslim, Christian, Druze and other population, Hebrew
 *   script, with the number of their bearers.
 * - Greek-namedays (public domain, Alex Styl, on GitHub): 3,702 Greek given names of the Greek
 *   Orthodox name days, with their everyday forms (greek-given-names.ts).
 * - el-name-tools 2.0.0 (MIT, Dimitrios Souflis, on GitHub): 1,901 forms of 1,260 Greek given
 *   names, 93 of them not in Greek-namedays, "Γεώργιος" among them (greek-given-name-forms.ts).
 *
 * No list of Greek given names was found on the npm registry; both Greek lists are copied from
 * GitHub with their licences. Short as they are, they are not read as lists of common names: on
 * tuning seeds 1–3 (10,000 customers each) one letter put for another between two of their names
 * told no other recipient apart and missed three retypings that made another listed name
 * ("Βασίλης" / "Βασίλας", "Αντώνης" / "Αντώνας", "Αικατερίνη" / "Αικατερίνα"), so only two edits
 * tell two Greek names apart.
 */
export function givenNameLists(): GivenNameList[] {
  const hebrew = hebrewGivenNames();
  return [
    {
      source: 'gender-detection-from-name',
      names: [enNames, deNames, frNames, itNames, esNames, trNames].flatMap((names) => [...names.keys()]),
      common: false,
    },
    { source: 'ru-names', names: Object.keys(russianNames), common: true },
    { source: 'shevchenko', names: UKRAINIAN_GIVEN_NAMES.split(' '), common: true },
    { source: 'arabic-name-to-en', names: Object.keys(arabicNames), common: true },
    { source: 'Greek-namedays', names: GREEK_GIVEN_NAMES.split(' '), common: false },
    { source: 'el-name-tools', names: GREEK_GIVEN_NAME_FORMS.split(' '), common: false },
    {
      source: 'hebrew-names',
      names: hebrew.filter(({ bearers }) => bearers >= COMMON_HEBREW_BEARERS).map(({ name }) => name),
      common: true,
    },
    { source: 'hebrew-names', names: hebrew.map(({ name }) => name), common: false },
  ];
}

/** Bearers (1948–2021, in one group of the census) from which a Hebrew given name is common: 956 of 4,243. */
const COMMON_HEBREW_BEARERS = 1_000;

/** The Israeli census files of hebrew-names: UTF-16, one name a line, then its bearers, tab-separated. */
const HEBREW_GIVEN_NAME_FILES = ['jew', 'muslim', 'christian', 'druze', 'other'].flatMap((group) =>
  ['male', 'female'].map((gender) => `${group}.${gender}.first`),
);

function hebrewGivenNames(): { name: string; bearers: number }[] {
  const data = path.join(path.dirname(require.resolve('hebrew-names/package.json')), 'data');
  return HEBREW_GIVEN_NAME_FILES.flatMap((file) =>
    readFileSync(path.join(data, file), 'utf16le')
      .split(/\r?\n/)
      .map((line) => line.replace(/^\uFEFF/, '').split('\t'))
      .filter(([name]) => name.trim().length > 0)
      .map(([name, bearers]) => ({ name: name.trim(), bearers: Number(bearers) || 0 })),
  );
}
