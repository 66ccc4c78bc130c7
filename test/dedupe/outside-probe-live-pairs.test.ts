import { alikeAddresses, cityAddress } from '../support/look-alike-addresses';

/**
 * Found by an outside tester's hand-written pairs sent through the live createOrder (2026-12-05,
 * second round), each rule both ways: a Korean road's direction after its district
 * (street-directions.ts); "к." for корпус and unit words of one role (script-vocabulary.ts);
 * "number" between a unit word and its number (street-parts.ts); Spanish door sides
 * (street-tokens.ts); Sapporo's 条 (kanji-numerals.ts); customary city abbreviations
 * (city-abbreviations.ts); a Chinese city with or without 市 (dense-script-slips.ts); lines 1 and 2
 * swapped (address-comparison.ts).
 */
const address = cityAddress;
const alike = alikeAddresses;

describe('the outside probe through the live createOrder, 2026-12-05', () => {
  it.each([
    [
      'a Korean road after its district, opened by another direction',
      address('중구 남대문로 30', '서울', 'KR'),
      address('중구 북대문로 30', '서울', 'KR'),
    ],
    ['the same, east and west', address('종로구 동대문로 5', '서울', 'KR'), address('종로구 서대문로 5', '서울', 'KR')],
    [
      'a Russian building block and flat swapped, the block as its letter',
      address('ул. Гагарина, д. 3, корп. 2, кв. 15', 'Новосибирск', 'RU'),
      address('ул. Гагарина, д. 3, к. 15, кв. 2', 'Новосибирск', 'RU'),
    ],
    [
      'a building and a flat swapped, named by other spellings of their roles',
      address('12 Main St, Apt 3, Bldg 12', 'Austin', 'US'),
      address('12 Main St, Flat 12, Building 3', 'Austin', 'US'),
    ],
    [
      'an Arabic flat "number 4" at no. 40, and flat 40 at no. 4',
      address('طريق الملك فهد 40، شقة رقم 4', 'الرياض', 'SA'),
      address('طريق الملك فهد 4، شقة 40', 'الرياض', 'SA'),
    ],
    [
      'a Spanish left door and right door',
      address('Calle de Alcalá 42, 1º izda.', 'Madrid', 'ES'),
      address('Calle de Alcalá 42, 1º dcha.', 'Madrid', 'ES'),
    ],
    [
      'Sapporo: another jō',
      address('中央区北一条西2丁目5', '札幌市', 'JP'),
      address('中央区北2条西2丁目5', '札幌市', 'JP'),
    ],
    [
      'Saint Petersburg and Moscow',
      address('Невский проспект, 28', 'СПб', 'RU'),
      address('Невский проспект, 28', 'Мск', 'RU'),
    ],
    ['Tel Aviv and Haifa', address('רחוב דיזנגוף 50', 'ת"א', 'IL'), address('רחוב דיזנגוף 50', 'חיפה', 'IL')],
    [
      'a city that closes with 州 and another',
      address('体育西路103号', '广州市', 'CN'),
      address('体育西路103号', '杭州市', 'CN'),
    ],
    [
      'lines 1 and 2 swapped, with another building',
      address('Tower Court', 'Leeds', 'GB', '5 River Road'),
      address('5 River Road', 'Leeds', 'GB', 'Bell Court'),
    ],
    // Third round: a locality on line 2 kept two street types alike (address-comparison.ts).
    [
      'Baker Street and Baker Road, Marylebone on line 2',
      address('221B Baker Street', 'London', 'GB', 'Marylebone'),
      address('221B Baker Road', 'London', 'GB', 'Marylebone'),
    ],
    [
      'Smith Street and Smith Road, a suburb on line 2',
      address('12 Smith Street', 'Melbourne', 'AU', 'Fitzroy North'),
      address('12 Smith Road', 'Melbourne', 'AU', 'Fitzroy North'),
    ],
    [
      'Admiralty Way and Admiralty Road, after the plot',
      address('Plot 15, Admiralty Way', 'Lagos', 'NG', 'Lekki Phase 1'),
      address('Plot 15, Admiralty Road', 'Lagos', 'NG', 'Lekki Phase 1'),
    ],
    [
      'Varthur Road and Varthur Street, a locality on line 2',
      address('45 Varthur Road', 'Bengaluru', 'IN', 'Whitefield'),
      address('45 Varthur Street', 'Bengaluru', 'IN', 'Whitefield'),
    ],
  ])('%s: not alike', (_case, a, b) => {
    expect(alike(a, b)).toBe(false);
  });

  it.each([
    [
      'a Korean road after its district, retyped without the space',
      address('중구 남대문로 30', '서울', 'KR'),
      address('중구 남대문로30', '서울', 'KR'),
    ],
    [
      'a district word alike on both sides',
      address('중구 동호로 5', '서울', 'KR'),
      address('중구  동호로 5', '서울', 'KR'),
    ],
    [
      'a Russian building block as its letter, also glued ("к2", "3к2")',
      address('ул. Гагарина, д. 3, корп. 2, кв. 15', 'Новосибирск', 'RU'),
      address('Гагарина ул., 3 к2, кв. 15', 'Новосибирск', 'RU'),
    ],
    [
      'the same, "д. 3к2"',
      address('ул. Гагарина, д. 3, корп. 2, кв. 15', 'Новосибирск', 'RU'),
      address('ул. Гагарина, д. 3к2, кв. 15', 'Новосибирск', 'RU'),
    ],
    [
      'an Arabic flat with and without "number"',
      address('طريق الملك فهد 40، شقة رقم 4', 'الرياض', 'SA'),
      address('طريق الملك فهد 40، شقة 4', 'الرياض', 'SA'),
    ],
    [
      'a Spanish door side abbreviated',
      address('Calle de Alcalá 42, 1º izquierda', 'Madrid', 'ES'),
      address('Calle de Alcalá 42, 1º izda', 'Madrid', 'ES'),
    ],
    [
      "Sapporo's jō and chōme in kanji numerals",
      address('中央区北1条西2丁目5', '札幌市', 'JP'),
      address('中央区北一条西二丁目5', '札幌市', 'JP'),
    ],
    [
      'Saint Petersburg abbreviated',
      address('Невский проспект, 28', 'Санкт-Петербург', 'RU'),
      address('Невский пр., 28', 'СПб', 'RU'),
    ],
    ['Tel Aviv abbreviated', address('רחוב דיזנגוף 50', 'תל אביב', 'IL'), address('רחוב דיזנגוף 50', 'ת"א', 'IL')],
    [
      'a Chinese city with and without 市',
      address('天河区体育西路103号', '广州', 'CN'),
      address('天河区体育西路103号', '广州市', 'CN'),
    ],
    [
      'lines 1 and 2 swapped',
      address('Flat 9, Tower Court', 'Leeds', 'GB', '5 River Road'),
      address('5 River Road', 'Leeds', 'GB', 'Flat 9, Tower Court'),
    ],
    [
      'Smith Street abbreviated, a suburb on line 2',
      address('12 Smith Street', 'Melbourne', 'AU', 'Fitzroy North'),
      address('12 Smith St', 'Melbourne', 'AU', 'Fitzroy North'),
    ],
    [
      'the locality after a comma on line 1',
      address('45 Varthur Road', 'Bengaluru', 'IN', 'Whitefield'),
      address('45 Varthur Rd, Whitefield', 'Bengaluru', 'IN'),
    ],
  ])('%s: alike', (_case, a, b) => {
    expect(alike(a, b)).toBe(true);
  });
});
