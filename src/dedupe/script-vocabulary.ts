/**
 * Address words of the scripts beyond Latin (Cyrillic, Greek, Arabic, Hebrew, Chinese, Japanese,
 * Korean), under the canonical words of address-vocabulary.ts. Written as people type them; the
 * vocabulary folds them (text-folding.ts) before use, so "ΟΔΌΣ" and "οδος" are one key.
 */

/**
 * Street types: Russian, Ukrainian, Greek, Arabic and Hebrew spellings and their abbreviations.
 * Arabic `ش.` abbreviates شارع ("8218 ش. رنيم"; issue 17, found from outside): one letter, so no
 * house's letter ("8218 ش" was read as 8218-ش).
 */
export const SCRIPT_STREET_TYPES: Readonly<Record<string, readonly string[]>> = {
  street: ['ул', 'улица', 'вул', 'вулиця', 'οδός', 'οδ', 'شارع', 'ش', 'רחוב', 'רח'],
  avenue: ['пр', 'просп', 'проспект', 'λεωφ', 'λεωφόρος', 'جادة', 'שדרות', 'שד'],
  square: ['пл', 'площадь', 'площа', 'майдан', 'πλ', 'πλατεία', 'ساحة', 'ميدان', 'כיכר'],
  lane: ['пер', 'переулок', 'пров', 'провулок', 'סמטת', 'סמטה', 'درب'],
  alley: ['ал', 'аллея', 'алея'],
  boulevard: ['бул', 'бульв', 'бульвар'],
  highway: ['ш', 'шоссе', 'шосе'],
  embankment: ['наб', 'набережная', 'набережна'],
  passage: ['проезд', 'проїзд'],
  impasse: ['туп', 'тупик'],
  road: ['дорога', 'דרך', 'طريق'],
  sidestreet: ['παρ', 'πάροδος'],
  path: ['משעול', 'سبيل'],
  descent: ['узвіз', 'спуск'],
  district: ['мкр', 'микрорайон', 'мікрорайон'],
};

/**
 * Directions in Russian, Ukrainian, Greek, Arabic and Hebrew: the noun and the adjective in its
 * genders and numbers, as they stand in street names ("Северная ул.", "Південна вул.", "Βόρεια
 * Οδός", "الشارع الشمالي", "רחוב צפוני"). Chinese, Japanese and Korean directions are leading
 * characters (address-comparison.ts).
 */
export const SCRIPT_DIRECTIONS: Readonly<Record<string, readonly string[]>> = {
  north: [
    ...['север', 'северный', 'северная', 'северное', 'северные', 'северной', 'северо'],
    ...['північ', 'північний', 'північна', 'північне', 'північні', 'північної'],
    ...['βορράς', 'βορρά', 'βόρεια', 'βόρειος', 'βόρειο', 'βορείου', 'βόρειας', 'βορείων'],
    ...['شمال', 'الشمال', 'شمالي', 'الشمالي', 'شمالية', 'الشمالية'],
    ...['צפון', 'צפוני', 'צפונית', 'הצפוני', 'הצפונית'],
  ],
  south: [
    ...['юг', 'южный', 'южная', 'южное', 'южные', 'южной'],
    ...['південь', 'південний', 'південна', 'південне', 'південні', 'південної'],
    ...['νότος', 'νότου', 'νότια', 'νότιος', 'νότιο', 'νοτίου', 'νότιας', 'νοτίων'],
    ...['جنوب', 'الجنوب', 'جنوبي', 'الجنوبي', 'جنوبية', 'الجنوبية'],
    ...['דרום', 'דרומי', 'דרומית', 'הדרומי', 'הדרומית'],
  ],
  east: [
    ...['восток', 'восточный', 'восточная', 'восточное', 'восточные', 'восточной'],
    ...['схід', 'східний', 'східна', 'східне', 'східні', 'східної'],
    ...['ανατολή', 'ανατολική', 'ανατολικός', 'ανατολικό', 'ανατολικά', 'ανατολικής', 'ανατολικού'],
    ...['شرق', 'الشرق', 'شرقي', 'الشرقي', 'شرقية', 'الشرقية'],
    ...['מזרח', 'מזרחי', 'מזרחית', 'המזרחי', 'המזרחית'],
  ],
  west: [
    ...['запад', 'западный', 'западная', 'западное', 'западные', 'западной'],
    ...['захід', 'західний', 'західна', 'західне', 'західні', 'західної'],
    ...['δύση', 'δυτική', 'δυτικός', 'δυτικό', 'δυτικά', 'δυτικής', 'δυτικού'],
    ...['غرب', 'الغرب', 'غربي', 'الغربي', 'غربية', 'الغربية'],
    ...['מערב', 'מערבי', 'מערבית', 'המערבי', 'המערבית'],
  ],
};

/**
 * Unit words written before their number, as "Apt" is: Russian and Ukrainian flat, office and
 * building block (also as its one letter, "к. 2", "3к2": found from outside, 2026-12-05), Greek
 * apartment, Chinese apartment and suite.
 */
export const SCRIPT_UNIT_PREFIXES: readonly string[] = [
  'кв',
  'квартира',
  'оф',
  'офис',
  'офіс',
  'к',
  'корп',
  'корпус',
  'стр',
  'строение',
  'διαμ',
  'διαμέρισμα',
  '公寓',
  '套房',
];

/**
 * Floor words of Russian and Greek ("этаж 5", "5 этаж"; "όροφος 4", "4ος όροφος"), dropped wherever they
 * stand as "floor" and "étage" are, and the Greek masculine ordinal ending, which says "floor" alone
 * after its number ("4ος", for "4ος όροφος": the floor is the one masculine ordinal of an address).
 * The words as libpostal's dictionaries have them (resources/dictionaries/{ru,el}/level_types_numbered.txt).
 * Issue 17, found from outside.
 */
export const SCRIPT_FLOOR_WORDS: readonly string[] = ['этаж', 'όροφος'];
export const SCRIPT_FLOOR_ENDINGS: readonly string[] = ['ος'];

/**
 * Unit words written after their number: Japanese room (233号室), Chinese room, floor and block,
 * Korean building and unit (454동 736호) and floor; and Arabic and Hebrew flat, floor, room and
 * building, which stand on either side of their number ("שקה 4", "4 דירה").
 */
export const SCRIPT_UNIT_SUFFIXES: readonly string[] = [
  '号室',
  '室',
  '楼',
  '栋',
  '单元',
  '호',
  '동',
  '층',
  'شقة',
  'طابق',
  'بناية',
  'عمارة',
  'بيت',
  'דירה',
  'חדר',
  'קומה',
];

/** Of the suffixes, those that may also stand before their number (right-to-left scripts). */
export const SCRIPT_UNIT_EITHER_SIDE: readonly string[] = [
  'شقة',
  'طابق',
  'بناية',
  'عمارة',
  'بيت',
  'דירה',
  'חדר',
  'קומה',
];

/**
 * Words that only say "house number" (дом, д., буд., αρ., رقم, מספר) and the Japanese and Korean
 * block and lot markers (4丁目7番1号, 번지): dropped, the number stays the house's.
 */
export const HOUSE_NUMBER_MARKERS: readonly string[] = [
  'д',
  'дом',
  'буд',
  'будинок',
  'αρ',
  'αριθ',
  'αριθμός',
  'رقم',
  'מספר',
  '丁目',
  '番',
  '番地',
  '号',
  '번지',
  '번',
];

/**
 * Unit words that name one role under several spellings, each under the role's word: "корп. 2, кв.
 * 15" and "к. 2, кв. 15" name building 2 and flat 15 alike, and "к. 15, кв. 2" another flat (units
 * named by the same roles are compared role by role, address-comparison.ts). Found from outside
 * (2026-12-05). A word not listed is its own role.
 */
export const UNIT_ROLES: Readonly<Record<string, readonly string[]>> = {
  flat: ['flat', 'apartment', 'apt', 'appt', 'app', 'flt', 'кв', 'квартира'],
  building: ['building', 'bldg', 'bld', 'к', 'корп', 'корпус'],
  floor: ['floor', 'fl', 'flr', 'level', 'lvl', 'lev'],
  office: ['оф', 'офис', 'офіс'],
};
