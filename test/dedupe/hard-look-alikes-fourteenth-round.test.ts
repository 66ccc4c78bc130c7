import { compareAddresses } from '../../src/dedupe/address-comparison';
import { mistypedSpelledOutUnit } from '../../src/dedupe/address-words';
import { keysTouch, otherLetterNotNeighbour } from '../../src/dedupe/keyboard-neighbours';
import { lookAlikeAddress, sameStreet } from '../support/look-alike-addresses';

/** The fourteenth tuning round (issue 17, seeds 1–3 of the locale stream): each rule both ways. */

describe('without any number, a letter put for another in a house name is a slip only between neighbouring keys', () => {
  it.each([
    ['FR', 'Gerard Mas', 'Girard Mas', 'Rue Dauphine'], // e and i, three keys apart
    ['FR', 'Faure Villa', 'Fabre Villa', 'Rue Dauphine'],
    ['FR', 'Rey Maison', 'Roy Maison', 'Rue Dauphine'],
    ['IL', 'גולן וילה', 'גושן וילה', 'רחוב הרצל'], // ל (k) and ש (a)
    ['IL', 'מרגנית וילה', 'מרגלית וילה', 'רחוב הרצל'],
    ['SA', 'العلاني دار', 'العواني دار', 'جادة طيب'], // ل (g) and و (,)
    ['SA', 'العلاني فيلا', 'العوانيفيلا', 'جادة طيب'], // also across a lost space
  ])('%s %s / %s: another house', (country, a, b, street) => {
    expect(sameStreet(country, [a, b], street)).toBe(false);
  });

  it.each([
    ['FR', 'Gerard Mas', 'Gersrd Mas', 'Rue Dauphine'], // a and s touch
    ['FR', 'Dupont Mas', 'Dupomt Mas', 'Rue Dauphine'], // n and m
    ['FR', 'Dupont Mas', 'Dumont Mas', 'Rue Dauphine'], // m under p on AZERTY: read as a slip (a miss of the rule)
    ['DE', 'Reimann Haus', 'Reumann Haus', 'Hauptstr.'], // u and i touch
    ['RU', 'Федорова усадьба', 'Федотова усадьба', 'ул. Ленина'], // р and т touch (ЙЦУКЕН)
    ['IL', 'גולן וילה', 'גולם וילה', 'רחוב הרצל'], // ן (i) and ם (o) touch
    ['IL', 'גולן וילה', 'גולנ וילה', 'רחוב הרצל'], // a final letter written as the plain one
    ['SA', 'العلاني دار', 'العلامي دار', 'جادة طيب'], // ن (k) and م (l) touch
    ['IL', 'אבנרי בית', 'אבנדי בית', 'רחוב הרצל'], // ד and ר look alike
    ['SA', 'النجار دار', 'النحار دار', 'جادة طيب'], // ج and ح differ by a dot
    ['FR', 'Gerard Mas', 'Gerrad Mas', 'Rue Dauphine'], // two letters swapped: as before
    ['FR', 'Gerard Mas', 'Gérard Mas', 'Rue Dauphine'],
  ])('%s %s / %s: the same house typed again', (country, a, b, street) => {
    expect(sameStreet(country, [a, b], street)).toBe(true);
  });

  it('reads the keys of every layout of the script, and tells nothing apart off them', () => {
    expect(keysTouch('y', 'x')).toBe(true); // QWERTZ
    expect(keysTouch('a', 'z')).toBe(true); // AZERTY
    expect(keysTouch('a', 'p')).toBe(false);
    expect(keysTouch('і', 'ф')).toBe(true); // Ukrainian
    expect(keysTouch('σ', 'ζ')).toBe(true); // "ς" folded
    expect(keysTouch('ن', 'ك')).toBe(false);
    expect(keysTouch('5', 'a')).toBe(true); // no key of the layouts: nothing known
    expect(otherLetterNotNeighbour('girard', 'gerard')).toBe(true);
    expect(otherLetterNotNeighbour('girard', 'girard')).toBe(false);
    expect(otherLetterNotNeighbour('girard', 'gerart')).toBe(false); // two letters: not this rule's
    expect(otherLetterNotNeighbour('girard', 'girar')).toBe(false);
  });

  it('keeps numbered streets as they were: there a name word may carry two typos', () => {
    expect(sameStreet('FR', ['12 Rue Gerard', '12 Rue Girard'])).toBe(true);
  });
});

/** The flat on line 2 (first), against the flat moved to line 1 before the street (second). */
const sameDelivery = (country: string, [line1, line2]: [string, string], moved: string): boolean =>
  compareAddresses(lookAlikeAddress(country, line1, line2), lookAlikeAddress(country, moved)).alike;

describe('a long unit word typed with two typos, in its own segment before the street, still names the flat', () => {
  it.each([
    ['DE', ['Düppeler Str. 144', 'Wohnung 277'], 'Wonun 144, Düppeler Str. 277'], // house and flat swapped
  ] as const)('%s %j / %s: another delivery', (country, lines, moved) => {
    expect(sameDelivery(country, [...lines], moved)).toBe(false);
  });

  it.each([
    ['DE', ['Düppeler Str. 144', 'Wohnung 277'], 'Wonun 277, Düppeler Str. 144'],
    ['DE', ['Winkelweg 87', 'Wohnung 184'], 'Wouhnunng 184, Winkelweg 87'],
    ['FR', ['60 Rue du Bac', 'Appartement 239'], 'Appartpmet 239, 60 Rue du Bac'],
    ['US', ['43 Highfield Avenue', 'Apt 116'], 'Apaartmene 116, 43 Highfield Ave'],
    ['RU', ['ул. Ленина, д. 15', 'кв. 189'], 'квварртира 189, ул. Ленина, д. 15'],
    ['GR', ['Παπαντωνίου 93', 'Διαμ. 399'], 'Διααμέιρσμα 399, Παπαντωνίου 93'],
  ] as const)('%s %j / %s: the same delivery typed again', (country, lines, moved) => {
    expect(sameDelivery(country, [...lines], moved)).toBe(true);
  });

  it('reads two typos only in a unit word spelled out in six letters or more, its first letter right', () => {
    expect(mistypedSpelledOutUnit('wonun')).toBe(true);
    expect(mistypedSpelledOutUnit('apprateemnt')).toBe(true);
    expect(mistypedSpelledOutUnit('dohnug')).toBe(false); // the first letter wrong
    expect(mistypedSpelledOutUnit('wohnhaus')).toBe(false); // three typos from Wohnung: a house
    expect(mistypedSpelledOutUnit('app')).toBe(false);
  });

  it('leaves a street of its own segment a street', () => {
    expect(sameStreet('DE', ['Wiesenweg 5, Hauptstr. 7', 'Wiesenweg 5, Hauptstr. 7'])).toBe(true);
    expect(sameStreet('DE', ['Wohnung 5, Hauptstr. 7', 'Hauptstr. 5, Wohnung 7'])).toBe(false);
  });
});

describe('without any number, a shorter word of a house name abbreviates a longer one only as a contraction', () => {
  it.each([
    ['FR', 'Roy Maison', 'Royer Maison', 'Rue Dauphine'], // Roy is a family name, not Royer cut short
    ['FR', 'Roy Maison', 'RoyerMaison', 'Rue Dauphine'],
    ['US', 'Orn Lodge', 'Oberbrunner Lodge', 'Kuphal Inlet'],
    ['GB', 'Oak Cottage', 'Oakley Cottage', 'Mill Lane'],
  ])('%s %s / %s: another house', (country, a, b, street) => {
    expect(sameStreet(country, [a, b], street)).toBe(false);
  });

  it.each([
    ['GB', 'Gt Oak Farm', 'Great Oak Farm', 'Mill Lane'], // first and last letters kept, as in Mt, Ft, Rd
    ['GB', 'Bridge Hse', 'Bridge House', 'Mill Lane'],
    ['US', 'Kennedy Mnr', 'Kennedy Manor', 'Main Street'],
  ])('%s %s / %s: the same house typed again', (country, a, b, street) => {
    expect(sameStreet(country, [a, b], street)).toBe(true);
  });

  it('keeps the reading where numbers are given', () => {
    expect(sameStreet('US', ['12 Roy St', '12 Royer St'])).toBe(true);
  });
});
