/** A spelling to compare, as written and with transliteration digraphs folded ("mueller" → "muller"). */
export interface Spelling {
  plain: string;
  folded: string;
}

/**
 * A shipping address brought to the parts the matcher compares. Numbers are compared exactly;
 * the words typo-tolerantly (address-comparison.ts).
 */
export interface AddressProfile {
  /** House numbers and letters, as sorted atoms: "12" for "12 Baker St, Apt 4B" (street-parts.ts). */
  numbers: string;
  /** Flat, floor, room and building numbers that a unit word names, as sorted atoms: "4 b" for "Apt 4B". */
  units: string;
  /** The unit words that named them, as sorted words: "apt apt" for "Apt 4B", "동 호" for "101동 202호". */
  unitKinds: string;
  /** Each unit atom with its unit word, sorted: "동:101 호:202" (not "동:202 호:101"). */
  unitsByKind: string;
  /** Both, as sorted atoms: "12 4 b". */
  allNumbers: string;
  /** House numbers and letters in the order written: "4 12" for "4/12 Main St", "12 4" for "12/4". */
  orderedNumbers: string;
  /**
   * Whether a number is left once those of a numbered street are set aside: "Franey Lodge, Eighth
   * Avenue" has none, so its words alone name the house (street-words.ts).
   */
  houseNumbered: boolean;
  /**
   * Other readings of the numbers when the only house number carries an ordinal ending and may be
   * a house number glued to a numbered street: "776th Avenue" is also "77 6th Avenue" (and "7
   * 76th"). Empty for almost every address.
   */
  gluedReadings: readonly { numbers: string; allNumbers: string }[];
  /** Direction words of the street, canonical ("north"): "North Road" is not "South Road". */
  directions: ReadonlySet<string>;
  /** The words (folded, as written) that say the directions: "nord", "nrod", "nordhermann". */
  directionWords: readonly string[];
  /** The street's name words as written (folded, abbreviations resolved), for telling "Rose Cottage" from "Ivy Cottage". */
  nameWords: readonly string[];
  /** The name words before a type glued to a word was split off ("harvard" of "Harvard" read as "Harva Rd"), when one was. */
  unsplitNameWords: readonly string[] | null;
  /** Street words (line1 and line2) with abbreviations resolved, joined without spaces: "bakerstreet". */
  street: Spelling;
  /** The street words as written (folded), joined without spaces: "bakerst". */
  streetAsWritten: Spelling;
  /** The same words one by one: "baker", "st". */
  streetAsWrittenWords: readonly string[];
  /** The street's first word as written, also one left out of comparisons ("ul", Polish ulica). */
  openingWord: string;
  /** The same words by line or comma-separated part: ["baker", "st"], ["marylebone"]. */
  streetSegments: readonly (readonly string[])[];
  /**
   * The street's name alone, types and directions left out ("baker"), also without a stray
   * short word at either end (a mangled type or prefix: "Maple De" for "Maple Dr", "uk." for "ul.").
   */
  streetNames: readonly Spelling[];
  /** The street types written ("street", "place"), canonical. */
  streetTypes: ReadonlySet<string>;
  /**
   * Words read as a street type only through a typo ("cremin", one letter from "chemin"), with that
   * type: a name unless the other side names the type too (street-words.ts).
   */
  misspelledTypes: readonly { word: string; type: string }[];
  city: Spelling;
  cityAsWritten: Spelling;
  /** The city's words, folded, as written ("st", "nazaire") and with abbreviations resolved ("saint", "nazaire"). */
  cityWords: { written: readonly string[]; resolved: readonly string[] };
  /** Upper case, letters and digits only; '' when none was given. */
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case ("UK" read as "GB"). */
  country: string;
}
