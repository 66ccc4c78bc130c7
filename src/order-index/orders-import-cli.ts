/**
 * npm run orders:import -- FILE.jsonl
 *
 * Imports historical orders (JSON lines, ./contract/order-record.schema.json) into the server's
 * database. Prints a JSON summary on stdout and each rejected line with its number on stderr; exits 1 when a line was rejected, 2 on
 * a usage or connection error.
 */
import { createReadStream } from 'node:fs';
import { commandUsage, parseCommandLine } from '../cli/command-line';
import { readableFileSize } from '../cli/file-problem';
import { importOrders } from './order-import';
import { Progress } from './progress';
import { readLines } from './read-lines';
import { runCommand } from './run-command';

const HELP = {
  usage: 'npm run orders:import -- FILE.jsonl',
  about:
    "Imports historical orders into the server's database (DATABASE_URL, or without it the embedded one in EMBEDDED_DATA_DIR; stop an embedded server first): one JSON object per line, as src/order-index/contract/order-record.schema.json describes (docs/duplicates.md has an example); a line already imported is skipped.",
};
const ARGUMENTS = { allowPositionals: true, options: {} } as const;
// Before any connection: --help and a bad argument are answered without a database.
const { positionals } = parseCommandLine(HELP, ARGUMENTS);

runCommand('npm run orders:import', async (prisma) => {
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    console.error(commandUsage(HELP, ARGUMENTS));
    return 2;
  }
  // A missing file is refused here (runCommand prints the message), before a stream is opened.
  const size = await readableFileSize(file, `${file}: cannot read the file`);
  const input = createReadStream(file);
  const progress = new Progress('import', { unit: 'bytes', total: size });
  const result = await importOrders(prisma, readLines(input), { onProgress: () => progress.update(input.bytesRead) });
  progress.finish();
  for (const rejection of result.rejections) console.error(`line ${rejection.line}: ${rejection.problem}`);
  if (result.rejectedCount > result.rejections.length)
    console.error(`… and ${result.rejectedCount - result.rejections.length} more rejected lines`);
  console.log(
    JSON.stringify({
      lines: result.lines,
      imported: result.imported,
      alreadyImported: result.alreadyImported,
      rejected: result.rejectedCount,
    }),
  );
  return result.rejectedCount > 0 ? 1 : 0;
});
