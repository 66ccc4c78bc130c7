/** The name lists the matcher reads (given-name-lists.ts); none of these packages ships type declarations. */
declare module 'gender-detection-from-name/names/*' {
  /** Lower-case given name → "male" | "female" | "unisex". */
  const names: Map<string, string>;
  export = names;
}

declare module 'ru-names' {
  /** Lower-case given name in Russian Cyrillic → "m" | "f". */
  const names: Record<string, string>;
  export = names;
}

declare module 'arabic-name-to-en/cases/fullnamedb' {
  /** Arabic given name → its English spelling. */
  const names: Record<string, string>;
  export = names;
}
