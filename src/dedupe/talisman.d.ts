/** The two talisman metrics the matcher uses (talisman ships no type declarations). */
declare module 'talisman/metrics/damerau-levenshtein' {
  /** Optimal-string-alignment Damerau-Levenshtein distance. */
  function damerauLevenshtein(a: string, b: string): number;
  export default damerauLevenshtein;
}

declare module 'talisman/metrics/jaro-winkler' {
  /** Jaro-Winkler similarity, 0–1 (Winkler's strcmp95 conventions). */
  function jaroWinkler(a: string, b: string): number;
  export default jaroWinkler;
}
