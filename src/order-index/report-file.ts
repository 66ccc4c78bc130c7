import { open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { WriteStream } from 'node:fs';
import { readNamedFile, unwritableFile } from '../cli/file-problem';
import { compileContractSchema, firstSchemaProblem } from './contract-validator';
import dedupeReportSchema from './contract/dedupe-report.schema.json';
import type { DuplicateGroup } from './duplicate-scan';

/** A scan report (../shared/contract/dedupe-report.schema.json). */
export interface DedupeReport {
  generatedAt: string;
  ordersScanned: number;
  since: string | null;
  groups: DuplicateGroup[];
}

/** A report path that cannot be written, said in one line naming it (no stack trace). */
export class ReportPathError extends Error {}

/**
 * Writes a report group by group as the scan finds them, so a report of millions of groups never
 * sits in memory: the header first, each group as it comes, `ordersScanned` last. It goes to a
 * temporary file beside the report, renamed over it at the end: a scan that fails leaves no
 * half-written report (and an earlier report stays whole).
 */
export class ReportWriter {
  private first = true;
  /** The first write error: a stream's 'error' event must be heard, or Node crashes the process. */
  private failure: Error | null = null;

  private constructor(
    private readonly path: string,
    private readonly temporary: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (error) => (this.failure ??= error));
  }

  /** Opens the report for writing, or throws a ReportPathError naming the path and why. */
  static async open(path: string, since: Date | null): Promise<ReportWriter> {
    const existing = await stat(path).catch(() => null);
    if (existing?.isDirectory())
      throw new ReportPathError(`--report ${path}: cannot write the report: it is a directory`);
    const temporary = `${path}.${process.pid}.tmp`;
    let handle: FileHandle;
    try {
      handle = await open(temporary, 'w');
    } catch (error) {
      throw new ReportPathError(`--report ${path}: cannot write the report: ${unwritableFile(error)}`);
    }
    const writer = new ReportWriter(path, temporary, handle.createWriteStream());
    writer.stream.write(
      `{"generatedAt":${JSON.stringify(new Date().toISOString())},"since":${JSON.stringify(since?.toISOString() ?? null)},"groups":[\n`,
    );
    return writer;
  }

  async add(group: DuplicateGroup): Promise<void> {
    if (this.failure) throw this.failed();
    const text = `${this.first ? '' : ',\n'}${JSON.stringify(group)}`;
    this.first = false;
    // Respect back-pressure: wait for the file to drain before taking more.
    if (!this.stream.write(text))
      await new Promise<void>((resolve) => {
        this.stream.once('drain', resolve);
        this.stream.once('error', () => resolve());
      });
  }

  /** Ends the report and puts it in place. */
  async close(ordersScanned: number): Promise<void> {
    this.stream.write(`\n],"ordersScanned":${ordersScanned}}\n`);
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    if (this.failure) {
      await this.discard();
      throw this.failed();
    }
    await rename(this.temporary, this.path).catch(async (error: unknown) => {
      await this.discard();
      throw new ReportPathError(`--report ${this.path}: cannot write the report: ${unwritableFile(error)}`);
    });
  }

  /** Removes what was written: the scan did not finish. */
  async discard(): Promise<void> {
    this.stream.destroy();
    await rm(this.temporary, { force: true });
  }

  private failed(): ReportPathError {
    return new ReportPathError(`--report ${this.path}: cannot write the report: ${unwritableFile(this.failure)}`);
  }
}

const validateReport = compileContractSchema<DedupeReport>(dedupeReportSchema);

/**
 * The report at `path`, checked against its schema before anything acts on it: a file that is not
 * a scan report (`{"x":1}`, a truncated one, another tool's) is one line saying what is wrong, not
 * a TypeError from the middle of the merge.
 */
export async function readReport(path: string): Promise<DedupeReport> {
  const text = (await readNamedFile(path, `--report ${path}: cannot read the report`)).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`--report ${path}: not a dedupe scan report: not JSON`, { cause: error });
  }
  if (validateReport(value)) return value;
  throw new Error(`--report ${path}: not a dedupe scan report: ${firstSchemaProblem(validateReport, 'report')}`);
}
