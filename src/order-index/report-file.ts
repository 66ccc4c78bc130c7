import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { DuplicateGroup } from './duplicate-scan';

/** A scan report (../shared/contract/dedupe-report.schema.json). */
export interface DedupeReport {
  generatedAt: string;
  ordersScanned: number;
  since: string | null;
  groups: DuplicateGroup[];
}

/**
 * Writes a report group by group as the scan finds them, so a report of millions of groups never
 * sits in memory: the header first, each group as it comes, `ordersScanned` last.
 */
export class ReportWriter {
  private readonly stream;
  private first = true;

  constructor(path: string, since: Date | null) {
    this.stream = createWriteStream(path);
    this.stream.write(
      `{"generatedAt":${JSON.stringify(new Date().toISOString())},"since":${JSON.stringify(since?.toISOString() ?? null)},"groups":[\n`,
    );
  }

  async add(group: DuplicateGroup): Promise<void> {
    const text = `${this.first ? '' : ',\n'}${JSON.stringify(group)}`;
    this.first = false;
    // Respect back-pressure: wait for the file to drain before taking more.
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  async close(ordersScanned: number): Promise<void> {
    this.stream.write(`\n],"ordersScanned":${ordersScanned}}\n`);
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}

export async function readReport(path: string): Promise<DedupeReport> {
  return JSON.parse(await readFile(path, 'utf8')) as DedupeReport;
}
