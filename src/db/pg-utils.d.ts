// pg's own conversion of a query parameter to the text it sends (Dates, arrays, objects), which
// inline-statement.ts reuses so that a value written in reads as the parameter would. Not in @types/pg.
declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown): string | Buffer | null;
}
