/**
 * npm run channels:pos -- FILE.csv --token ADMIN_TOKEN [--url http://127.0.0.1:4000] [--charset windows-1252]
 *
 * `--url` is the server's URL, under a path behind a reverse proxy (https://host/order-gate/).
 * Uploads a POS export to a running server's `POST /channels/pos/receipts`, so that its receipts
 * go through the server's gate like every other order (claims, audit, metrics). Shows progress on
 * stderr while the server places receipts, then prints a JSON summary on stdout and every bad line
 * and receipt not placed on stderr. Exits 0 when every receipt is in (created now or before), 1 when
 * some are not, 2 on a usage, connection or HTTP error. Uploading the same file again is safe.
 */
import { parseCommandLine } from '../cli/command-line';
import { readNamedFile } from '../cli/file-problem';
import { httpUrlOption, refuseOption } from '../cli/option-values';
import { forEachNdjsonLine } from './ndjson-lines';
import type { ListedPosReport, PosTally } from './pos-batch';

const HELP = {
  usage: 'npm run channels:pos -- FILE.csv --token ADMIN_TOKEN [--url http://127.0.0.1:4000] [--charset windows-1252]',
  about:
    'Uploads a POS receipts file to a running server and prints its report (uploading the same file again is safe).',
};
const USAGE = `usage: ${HELP.usage}`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(HELP, {
    args: argv,
    allowPositionals: true,
    options: { token: { type: 'string' }, url: { type: 'string' }, charset: { type: 'string' } },
  });
  const [file] = positionals;
  // One file an upload: a second one (`a.csv b.csv`, a shell glob) was ignored, exit 0, as if all
  // were in (found from outside). Refused before anything is read or sent.
  if (!file || positionals.length > 1 || !values.token) {
    console.error(positionals.length > 1 ? `one file at a time (given ${positionals.length})\n${USAGE}` : USAGE);
    return 2;
  }
  const url = receiptsUrl(httpUrlOption('url', values.url ?? 'http://127.0.0.1:4000'));
  // An HTTP token, as a charset name is: anything else was refused by fetch as "cannot reach" the server.
  if (values.charset !== undefined && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(values.charset))
    refuseOption(`--charset must be a charset name such as windows-1252 (given ${JSON.stringify(values.charset)})`);
  const body = await readNamedFile(file, `${file}: cannot read the file`);
  const response = await fetch(url, {
    method: 'POST',
    // The file's encoding when it is not UTF-8 (a byte order mark names its own): the server
    // refuses bytes that are not of it rather than guess.
    headers: {
      'content-type': values.charset ? `text/csv; charset=${values.charset}` : 'text/csv',
      authorization: `Bearer ${values.token}`,
    },
    body,
  }).catch((error: unknown) => {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is its cause.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    throw new Error(`cannot reach ${url.href}: ${cause instanceof Error ? cause.message : String(cause)}`);
  });
  if (response.status !== 200 || !response.body) {
    console.error(`upload refused: HTTP ${response.status} ${await response.text()}`);
    return 2;
  }
  const report = await readAnswer(response.body);
  if (!report) {
    console.error('the server ended the answer without a report: upload again (it is safe)');
    return 2;
  }
  for (const problem of report.problems)
    console.error(
      `line ${problem.line}${problem.receipt ? ` (${problem.store}/${problem.receipt})` : ''}: ${problem.reason}`,
    );
  if (report.problemsNotListed > 0) console.error(`… and ${report.problemsNotListed} more bad lines, not listed`);
  for (const receipt of report.notPlaced)
    console.error(`receipt ${receipt.store}/${receipt.receipt} (lines ${receipt.lines.join(', ')}): ${receipt.reason}`);
  if (report.notPlacedNotListed > 0)
    console.error(`… and ${report.notPlacedNotListed} more receipts not placed, not listed`);
  const { problems: _problems, notPlaced, ...counts } = report;
  console.log(JSON.stringify(counts));
  return notPlaced.length > 0 || report.problems.length > 0 ? 1 : 0;
}

/**
 * The receipts route under the server's URL, its path and query kept: behind a reverse proxy the
 * server is https://host/order-gate/, and `new URL('/channels/…', url)` (from the host) dropped
 * the path, posting to another application's /channels/pos/receipts (found from outside).
 */
function receiptsUrl(server: string): URL {
  const url = new URL(server);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/channels/pos/receipts`;
  url.hash = '';
  return url;
}

/** Reads the NDJSON answer, drawing each progress line; the report, or null if the answer ended without one. */
async function readAnswer(body: ReadableStream<Uint8Array>): Promise<ListedPosReport | null> {
  let report: ListedPosReport | null = null;
  await forEachNdjsonLine(body, (line) => {
    const event = JSON.parse(line) as ({ type: 'progress' } & PosTally) | ({ type: 'report' } & ListedPosReport);
    if (event.type === 'report') report = event;
    else drawProgress(event);
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  return report;
}

function drawProgress({ receipts, done, created, duplicates, held, rejected }: PosTally): void {
  const line = `pos: ${done}/${receipts} receipts (${Math.floor((done / Math.max(1, receipts)) * 100)}%): ${created} created, ${duplicates} already in, ${held} held, ${rejected} rejected`;
  process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
