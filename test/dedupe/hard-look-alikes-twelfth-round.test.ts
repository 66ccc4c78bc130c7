import { sameStreet } from '../support/look-alike-addresses';

/** The twelfth tuning round (issue 17, seeds 1–3 of the locale stream): each rule both ways. */

describe('a USPS Publication 28 suffix names a kind of street', () => {
  it.each([
    ['162 Marie Highway', '162 Maria Hill'], // a highway and a hill, the names a letter apart
    ['231 Mill Lane', '231 Laila Hill'], // "Hill" is no name to compare with "Mill"
    ['244 Kutch Estate', '244 State Street'], // "Estate" is no name one letter from "State"
    ['81 Emilie Crossing', '81 Emilio Radial'],
    ['217 Johnson Ways', '217 Johnston Freeway'],
  ])('%s / %s: another street', (a, b) => {
    expect(sameStreet('US', [a, b])).toBe(false);
  });

  it.each([
    ['162 Maria Hill', '162 Maria Hl'], // the abbreviation
    ['162 Maria Hill', '162 Maria Hil'], // a letter of the type dropped
    ['162 Maria Hill', '162 Mraia Hill'], // a typo in the name
    ['162 Maria Hill', '162 MariaHill'], // a space lost
    ['162 Maria Hill', '162 Maria'], // the type left out
    ['244 Kutch Estate', '244 Kutch Ests'],
    ['244 Kutch Estate', '244 Kutch Esttae'],
    ['81 Emilio Radial', '81 Emilio Radl'],
    ['217 Johnson Ways', '217 Johnson Way'], // one way or several, as Gardens and Garden
    ['5 Hill Street', '5 Hill St'], // a type as the name: every word a type, the last is the type
  ])('%s / %s: the same street typed again', (a, b) => {
    expect(sameStreet('US', [a, b])).toBe(true);
  });
});
