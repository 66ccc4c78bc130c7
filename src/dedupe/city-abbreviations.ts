import { foldText } from './text-folding';

/**
 * Cities their people write by a customary abbreviation: "СПб" and "Питер" for Санкт-Петербург,
 * "Мск" for Москва, `ת"א` for תל אביב, `ב"ש` for באר שבע, "NYC" for New York. No typo or
 * transliteration reaches the name from these: spelled alike, they were two cities, and a retyped
 * order was placed twice (found from outside, 2026-12-05, with the postcodes agreeing). Whole
 * fields only, in their country.
 */
const ABBREVIATIONS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  RU: {
    'Санкт-Петербург': ['СПб', 'С.-Петербург', 'С-Петербург', 'С. Петербург', 'Питер'],
    Москва: ['Мск'],
  },
  IL: {
    'תל אביב': ['ת"א', 'ת״א', "ת''א", 'תל אביב-יפו', 'תל אביב יפו'],
    'באר שבע': ['ב"ש', 'ב״ש', "ב''ש"],
    ירושלים: ['י-ם'],
  },
  US: { 'New York': ['NYC', 'New York City'] },
  // Beyond the evaluated locales (found from outside, 2026-12-05): the city's own abbreviation (CDMX,
  // and México D.F., its name until 2016, as Correos de México still reads it); Vietnam Post's TP.HCM
  // and Sài Gòn, the city's name before 1976 and still its post office's; Pos Malaysia's KL. No
  // other city of the country is written so. Not SP, RJ or POA (a state, a state, a second city's
  // abbreviation in Brazil), PJ (Petaling Jaya, or a district's code), ISB (no postal form).
  MX: {
    'Ciudad de México': ['CDMX', 'México D.F.', 'México, D.F.', 'México DF', 'México, DF', 'Distrito Federal'],
  },
  VN: {
    'Thành phố Hồ Chí Minh': [
      'TPHCM',
      'TP.HCM',
      'TP HCM',
      'TP. HCM',
      'HCM',
      'HCMC',
      'TP. Hồ Chí Minh',
      'TP Hồ Chí Minh',
      'Hồ Chí Minh',
      'Sài Gòn',
      'Saigon',
    ],
  },
  MY: { 'Kuala Lumpur': ['KL', 'WP Kuala Lumpur', 'W.P. Kuala Lumpur', 'Wilayah Persekutuan Kuala Lumpur'] },
};

const EXPANSIONS: ReadonlyMap<string, string> = new Map(
  Object.entries(ABBREVIATIONS).flatMap(([country, cities]) =>
    Object.entries(cities).flatMap(([name, spellings]) =>
      spellings.map((spelling) => [`${country}:${foldText(spelling)}`, name] as const),
    ),
  ),
);

/** The city's full name where the field holds a customary abbreviation of it in its country, else the field. */
export function cityAbbreviationExpanded(city: string, country: string): string {
  return EXPANSIONS.get(`${country}:${foldText(city)}`) ?? city;
}
