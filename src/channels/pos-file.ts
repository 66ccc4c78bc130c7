import { MAX_CUSTOMER_ID_LENGTH } from '../auth/viewer';
import { isStorableText, UNSTORABLE_CHARACTERS } from '../db/storable-text';

/** Columns a POS file must have (header names, any order, any case); `customer` is optional. */
export const POS_COLUMNS = ['store', 'receipt', 'sku', 'quantity', 'currency'] as const;
const OPTIONAL_COLUMNS = ['customer'] as const;
type Column = (typeof POS_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** Characters of a store id or a receipt number at most. */
const MAX_ID_LENGTH = 64;
/** A quantity as text: a whole number of at least 1 (its upper bound is createOrder's rule). */
const QUANTITY_PATTERN = /^[1-9]\d{0,8}$/;

/** One item line of a receipt. */
export interface PosLine {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  sku: string;
  quantity: number;
}

/** A receipt: every line of one (store, receipt), wherever it stands in the file. */
export interface PosReceipt {
  store: string;
  receipt: string;
  /** The loyalty customer, when the file names one. */
  customer: string | null;
  currency: string;
  lines: PosLine[];
}

/** A line that cannot be taken, and why. */
export interface LineProblem {
  line: number;
  store?: string;
  receipt?: string;
  reason: string;
}

/** A receipt left out whole because some of its lines are bad: nothing of it is written. */
export interface SpoiledReceipt {
  store: string;
  receipt: string;
  lines: number[];
}

export interface PosFile {
  /** Lines after the header, blank ones included. */
  lines: number;
  receipts: PosReceipt[];
  problems: LineProblem[];
  spoiled: SpoiledReceipt[];
}

interface Draft extends PosReceipt {
  bad: boolean;
  allLines: number[];
}

/**
 * Lines read between two turns of the event loop: about 10 ms of work on the shared 2-core test
 * machine (5 µs a line). Read in one piece, a 16 MiB file (550 000 lines) held the server's one
 * thread for 2.2 s, every other request (/healthz included) waiting for it.
 */
const LINES_PER_SLICE = 2_000;

/** Lets the event loop answer what is waiting (I/O callbacks run before setImmediate's). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads a POS export: a header, then one line per item, grouped into receipts by (store, receipt).
 * CSV as RFC 4180 except that a record never spans lines (an item line has no line breaks), so a
 * broken quote costs one line, not the rest of the file. Each bad line is reported with its number
 * and reason, and its receipt is left out whole; the rules of an order (SKU, currency code, limits)
 * are createOrder's, applied when the receipt is placed. Read LINES_PER_SLICE lines at a time, the
 * event loop free between slices.
 */
export async function readPosFile(text: string): Promise<PosFile | { fileProblem: string }> {
  // CR alone ends a line too (Excel for Mac's "CSV (Macintosh)"): split on \n only, such a file
  // was one header line, its last column swallowing every item line (0 receipts, nothing said).
  const rows = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  const header = splitCsvLine(rows[0] ?? '')?.map((name) => name.toLowerCase());
  const missing = POS_COLUMNS.filter((column) => !header?.includes(column));
  if (!header || missing.length > 0)
    return {
      fileProblem: `The header must name the columns ${POS_COLUMNS.join(', ')} (missing: ${missing.join(', ')}).`,
    };
  // A column named twice would be read from its first place only, its second silently ignored.
  const twice = [...POS_COLUMNS, ...OPTIONAL_COLUMNS].find(
    (column) => header.indexOf(column) !== header.lastIndexOf(column),
  );
  if (twice) return { fileProblem: `The header names the column ${twice} twice.` };
  const indexOf = new Map<Column, number>(
    [...POS_COLUMNS, ...OPTIONAL_COLUMNS].map((column) => [column, header.indexOf(column)]),
  );

  const drafts = new Map<string, Draft>();
  const problems: LineProblem[] = [];
  for (let index = 1; index < rows.length; index++) {
    if (index % LINES_PER_SLICE === 0) await nextTurn();
    const line = index + 1;
    if (rows[index].trim() === '') continue;
    const fields = splitCsvLine(rows[index]);
    // A line with broken quotes still names its receipt, most likely: left out with it, never without it.
    const named = fields ?? rows[index].split(',').map((field) => field.trim().replace(/^"|"$/g, ''));
    const value = (column: Column) => (indexOf.get(column)! >= 0 ? (named[indexOf.get(column)!] ?? '') : '');
    const store = value('store');
    const receipt = value('receipt');
    if ([store, receipt].some((id) => id.length === 0 || id.length > MAX_ID_LENGTH || !isStorableText(id))) {
      problems.push({
        line,
        reason: fields
          ? `store and receipt must be 1 to ${MAX_ID_LENGTH} characters, none of them ${UNSTORABLE_CHARACTERS}`
          : 'unbalanced quotes',
      });
      continue;
    }
    const key = JSON.stringify([store, receipt]);
    const draft = drafts.get(key) ?? newDraft(store, receipt, value('customer'));
    drafts.set(key, draft);
    draft.allLines.push(line);
    // The receipt's currency is its first line's that has one (a line missing it is reported alone).
    if (fields) draft.currency ||= value('currency');
    const reason = fields
      ? lineProblem(draft, value('sku'), value('quantity'), value('currency'), value('customer'))
      : 'unbalanced quotes';
    if (reason) {
      problems.push({ line, store, receipt, reason });
      draft.bad = true;
    } else {
      draft.lines.push({ line, sku: value('sku'), quantity: Number(value('quantity')) });
    }
  }
  const all = [...drafts.values()];
  return {
    lines: rows.length - 1,
    receipts: all
      .filter((draft) => !draft.bad)
      .map(({ store, receipt, customer, currency, lines }) => ({ store, receipt, customer, currency, lines })),
    problems,
    spoiled: all
      .filter((draft) => draft.bad)
      .map(({ store, receipt, allLines }) => ({ store, receipt, lines: allLines })),
  };
}

function newDraft(store: string, receipt: string, customer: string): Draft {
  return { store, receipt, customer: customer || null, currency: '', lines: [], bad: false, allLines: [] };
}

/** What is wrong with one item line of a receipt, or null. */
function lineProblem(
  receipt: PosReceipt,
  sku: string,
  quantity: string,
  currency: string,
  customer: string,
): string | null {
  if (sku.length === 0) return 'sku is missing';
  if (!QUANTITY_PATTERN.test(quantity)) return `quantity "${quantity}" is not a whole number of at least 1`;
  if (currency.length === 0) return 'currency is missing';
  if (currency.toUpperCase() !== receipt.currency.toUpperCase())
    return `currency ${currency} differs from the receipt's ${receipt.currency}`;
  if ((customer || null) !== receipt.customer)
    return `customer "${customer}" differs from the receipt's "${receipt.customer ?? ''}"`;
  if (!isStorableText(customer)) return `customer must not contain ${UNSTORABLE_CHARACTERS}`;
  // A customer who could never sign in to see the order (a bearer's subject is at most this long).
  if (customer.length > MAX_CUSTOMER_ID_LENGTH)
    return `customer must be at most ${MAX_CUSTOMER_ID_LENGTH} characters (a customer id)`;
  return null;
}

/**
 * The fields of one CSV line, trimmed; `"…"` quotes a field (with `""` for a quote inside it).
 * Null when the quotes do not balance, text follows a closing quote, or a bare field holds a quote.
 */
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    while (line[at] === ' ' || line[at] === '\t') at++;
    if (line[at] === '"') {
      let value = '';
      for (at++; ; at++) {
        if (at >= line.length) return null;
        if (line[at] === '"' && line[at + 1] === '"') value += line[at++];
        else if (line[at] === '"') break;
        else value += line[at];
      }
      at++;
      while (line[at] === ' ' || line[at] === '\t') at++;
      if (at < line.length && line[at] !== ',') return null;
      fields.push(value);
    } else {
      const end = line.indexOf(',', at);
      const value = line.slice(at, end < 0 ? line.length : end).trim();
      // RFC 4180: a field holding a quote is quoted. A quote inside a bare one is most likely the
      // tail of a quoted field broken across lines: read as it stands it named a store `line"` and
      // was placed as a receipt (found from outside, stop 39).
      if (value.includes('"')) return null;
      fields.push(value);
      at = end < 0 ? line.length : end;
    }
    if (at >= line.length) return fields;
    at++; // the comma
  }
}
