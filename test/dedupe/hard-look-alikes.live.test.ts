import type { ShippingAddressInput } from '../operations/generated';
import { seedProducts } from '../support/catalog';
import { secondOrderOf } from '../support/look-alike-orders';
import { withTestServer } from '../support/test-server-fixture';

/**
 * Issue 17's look-alikes through the live createOrder path (the default policy, HOLD): one
 * customer, one cart, a first order and a second one shortly after with a new key. A retyping of
 * the same delivery point is held; another delivery point or recipient is created.
 */
const fixture = withTestServer('hard-look-alikes');

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'LOOK-TEA', priceCents: 450, stock: 100_000 }]);
});

const london: ShippingAddressInput = {
  name: 'Ada Lovelace',
  line1: '4 Baker Street',
  line2: 'Flat 12',
  city: 'London',
  postalCode: 'NW1 6XE',
  country: 'GB',
};
const moscow: ShippingAddressInput = {
  name: 'Анна Иванова',
  line1: 'ул. Ленина, д. 5',
  line2: 'кв. 12',
  city: 'Москва',
  postalCode: '101000',
  country: 'RU',
};
const athens: ShippingAddressInput = {
  name: 'Μαρία Παπαδοπούλου',
  line1: 'Οδός Ερμού 10',
  line2: 'Διαμ. 3',
  city: 'Αθήνα',
  postalCode: '105 63',
  country: 'GR',
};
const tokyo: ShippingAddressInput = {
  name: '内山 亮太',
  line1: '4丁目7番1号',
  line2: '児玉ハイツ233号室',
  city: '港区芝公園',
  postalCode: '105-0011',
  country: 'JP',
};
const lane: ShippingAddressInput = { ...london, line1: 'Rose Cottage, Mill Lane', line2: null };
const northRoad: ShippingAddressInput = { ...london, line1: '4 North Road', line2: null };
const fifthAvenue: ShippingAddressInput = { ...london, line1: '4 Fifth Avenue', line2: null };
const cottage: ShippingAddressInput = { ...london, line1: 'Kiehn Cottage', line2: 'Elm Lane' };
const northernStreet: ShippingAddressInput = { ...moscow, line1: 'Северная ул. Ленина, д. 5' };
const haifa: ShippingAddressInput = {
  name: 'הדר אהרוני',
  line1: 'סמטת וינשטיין 59',
  line2: 'דירה 3',
  city: 'לבנים',
  postalCode: '3064995',
  country: 'IL',
};
const mansion: ShippingAddressInput = { ...tokyo, line1: '6丁目7番9号', line2: '岡崎マンション' };
const dacha: ShippingAddressInput = { ...moscow, line1: 'Панов дача', line2: 'Ивановская пл.' };
const springfield: ShippingAddressInput = {
  name: 'J. Smith',
  line1: '12 Main St #4',
  line2: null,
  city: 'Springfield',
  postalCode: '62701',
  country: 'US',
};
const sydney: ShippingAddressInput = {
  name: 'Kylie Ng',
  line1: '4/12 Smith Street',
  line2: null,
  city: 'Sydney',
  postalCode: '2000',
  country: 'AU',
};
const twentyThird: ShippingAddressInput = { ...springfield, line1: '300 Twenty-Third Street' };

const secondOrder = secondOrderOf(fixture, 'LOOK-TEA');

describe('createOrder holds a retyping of the same delivery point (new key, same cart, seconds later)', () => {
  it.each([
    [
      'Cyrillic in capitals, abbreviations spelled out',
      moscow,
      { ...moscow, line1: 'УЛИЦА ЛЕНИНА, ДОМ 5', line2: 'квартира 12' },
    ],
    ['Cyrillic with a letter dropped', moscow, { ...moscow, line1: 'ул. Ленна, д. 5', city: 'Мосвка' }],
    [
      'Greek in capitals without accents',
      athens,
      { ...athens, line1: 'ΟΔΟΣ ΕΡΜΟΥ 10', line2: 'ΔΙΑΜ 3', city: 'ΑΘΗΝΑ' },
    ],
    ['Japanese in fullwidth digits', tokyo, { ...tokyo, line1: '４－７－１', line2: '児玉ハイツ ２３３号室' }],
    ['an ordinal as a word and as digits', fifthAvenue, { ...fifthAvenue, line1: '4 5th Ave' }],
    ['a direction abbreviated', northRoad, { ...northRoad, line1: '4 N Rd' }],
    ['a named house with a typo', lane, { ...lane, line1: 'Rose Cotage, Mill Ln' }],
    ['the recipient as surname, given name', london, { ...london, name: 'LOVELACE, Ada' }],
    ['a Cyrillic direction with a typo', northernStreet, { ...northernStreet, line1: 'Северня ул. Ленина, д. 5' }],
    ['a house name without numbers, one typo', cottage, { ...cottage, line1: 'Kiehm Cottage', line2: 'Elm Ln' }],
    [
      'a mistyped Hebrew flat word moved to line 1',
      haifa,
      { ...haifa, line1: 'דדרה 3, סמטת וינשטיין 59', line2: null },
    ],
    ['a direction glued to the street', { ...london, line1: '4 N Pearl St' }, { ...london, line1: '4 NPearl St' }],
    ['a given name with its last letter doubled', london, { ...london, name: 'Adaa Lovelace' }],
    ['a house number glued to its numbered street', fifthAvenue, { ...fifthAvenue, line1: '45th Avenue' }],
    ['a Greek street type glued to its name', athens, { ...athens, line1: 'ΟΔΟΣΕΡΜΟΥ 10' }],
    ['a surname with one typo near its start', { ...london, name: 'Ada Ledner' }, { ...london, name: 'Ada Lndner' }],
    ['a "#" flat written as "Apt"', springfield, { ...springfield, line1: '12 Main Street', line2: 'Apt 4' }],
    ['an Australian flat/house pair spelled out', sydney, { ...sydney, line1: 'Unit 4, 12 Smith St' }],
    ['a compound ordinal as words and as digits', twentyThird, { ...twentyThird, line1: '300 23rd St' }],
    [
      'a direction and a compound ordinal abbreviated',
      { ...springfield, line1: '12 West Thirty-Fourth Street' },
      { ...springfield, line1: '12 W 34th St' },
    ],
    ['an initial and the given name it stands for', springfield, { ...springfield, name: 'John Smith' }],
    [
      'a listed given name with a letter doubled, though both spellings are listed',
      { ...london, name: 'Corrine Lovelace' },
      { ...london, name: 'Corrinne Lovelace' },
    ],
    [
      'a Russian ordinal as a word and as digits',
      { ...moscow, line1: 'Вторая Тверская-Ямская ул., 10', line2: null },
      { ...moscow, line1: '2-я Тверская-Ямская ул., 10', line2: null },
    ],
    [
      'a bare flat number on line 2 moved to the front of line 1',
      { ...springfield, line1: '12 Main St', line2: '4' },
      { ...springfield, line1: '4, 12 Main St', line2: null },
    ],
    [
      'a Cyrillic address retyped in Latin letters',
      moscow,
      { ...moscow, name: 'Anna Ivanova', line1: 'ulitsa Lenina, d. 5', line2: 'kv. 12', city: 'Moskva' },
    ],
    [
      'a Greek address retyped in Latin letters',
      athens,
      { ...athens, name: 'Maria Papadopoulou', line1: 'Odos Ermou 10', line2: 'Diam. 3', city: 'Athina' },
    ],
  ])('%s', async (_, first, second) => {
    expect(await secondOrder(first, second)).toEqual(['PossibleDuplicate', 1]);
  });
});

describe('createOrder creates an order for another delivery point or recipient that looks alike', () => {
  it.each([
    ['Cyrillic, another street', moscow, { ...moscow, line1: 'ул. Пушкина, д. 5' }],
    [
      'Ukrainian, another street',
      { ...moscow, line1: 'вул. Шевченка, 5', country: 'UA' },
      { ...moscow, line1: 'вул. Франка, 5', country: 'UA' },
    ],
    ['Greek, another street', athens, { ...athens, line1: 'Οδός Αιόλου 10' }],
    ['Japanese, another district', tokyo, { ...tokyo, city: '港区三田' }],
    ['flat 4 at no. 12 after flat 12 at no. 4', london, { ...london, line1: '12 Baker Street', line2: 'Flat 4' }],
    ['South Road after North Road', northRoad, { ...northRoad, line1: '4 South Road' }],
    ['another named house on the lane', lane, { ...lane, line1: 'Ivy Cottage, Mill Lane' }],
    ['another recipient sharing the surname', london, { ...london, name: 'Byron Lovelace' }],
    ['another recipient sharing the surname, in Cyrillic', moscow, { ...moscow, name: 'Мария Иванова' }],
    [
      'the southern street after the northern one, in Cyrillic',
      northernStreet,
      { ...northernStreet, line1: 'Южная ул. Ленина, д. 5' },
    ],
    ['a direction on one side only', { ...london, line1: '4 S Main St' }, { ...london, line1: '4 Main St' }],
    ['another house name two letters apart, without numbers', cottage, { ...cottage, line1: 'Kuhn Cottage' }],
    ['another Japanese building, one character apart', mansion, { ...mansion, line2: '山崎マンション' }],
    ['a given name and a longer one that starts alike', london, { ...london, name: 'Adalinda Lovelace' }],
    ['a Japanese given name one character longer', tokyo, { ...tokyo, name: '内山 亮太郎' }],
    ['another house number on the numbered street', fifthAvenue, { ...fifthAvenue, line1: '46th Avenue' }],
    [
      'house and flat swapped, the flat word mistyped',
      haifa,
      { ...haifa, line1: 'דדרה 59, סמטת וינשטיין 3', line2: null },
    ],
    [
      'the other gender of the given name',
      { ...moscow, name: 'Евгения Иванова' },
      { ...moscow, name: 'Евгений Иванова' },
    ],
    [
      'another listed given name two letters apart',
      { ...london, name: 'Milena Lovelace' },
      { ...london, name: 'Mila Lovelace' },
    ],
    [
      'another common Arabic given name, one letter apart',
      { ...moscow, name: 'رشاد الخليفي' },
      { ...moscow, name: 'رشيد الخليفي' },
    ],
    ['a house named after the feminine form of the family name', dacha, { ...dacha, line1: 'Панова дача' }],
    ['house and flat swapped, the flat marked "#"', springfield, { ...springfield, line1: '4 Main St #12' }],
    [
      'house and flat swapped, bare flat numbers on line 2',
      { ...london, line1: '12 Main Street', line2: '4' },
      { ...london, line1: '4 Main Street', line2: '12' },
    ],
    [
      'house and flat swapped around a hyphen, in Cyrillic',
      { ...moscow, line1: 'ул. Ленина 4-12', line2: null },
      { ...moscow, line1: 'ул. Ленина 12-4', line2: null },
    ],
    [
      'house and flat swapped, "#" flats on line 2',
      { ...springfield, line1: '12 Main St', line2: '#4' },
      { ...springfield, line1: '4 Main St', line2: '#12' },
    ],
    ['an Australian flat/house pair swapped', sydney, { ...sydney, line1: '12/4 Smith Street' }],
    ['another initial before the surname', springfield, { ...springfield, name: 'K. Smith' }],
    ['Mrs after Mr of one surname', { ...springfield, name: 'Mr Smith' }, { ...springfield, name: 'Mrs Smith' }],
    [
      'another street, retyped in Latin letters',
      moscow,
      { ...moscow, name: 'Anna Ivanova', line1: 'ul. Pushkina, d. 5', line2: 'kv. 12', city: 'Moskva' },
    ],
    [
      'the avenue of the same name, in Latin letters',
      { ...moscow, line1: 'ул. Мира, д. 5' },
      { ...moscow, name: 'Anna Ivanova', line1: 'prospekt Mira, d. 5', line2: 'kv. 12', city: 'Moskva' },
    ],
  ])('%s', async (_, first, second) => {
    expect(await secondOrder(first, second)).toEqual(['OrderCreated', 2]);
  });
});
